import { AppPage } from "./app-page";

/** /dashboard: turnaround figures and charts, each chart with its numbers as a table. */
export class DashboardPage extends AppPage {
  readonly weeklyChart = this.page.getByTestId("chart-weekly");

  async goto(): Promise<void> {
    await this.page.goto("/dashboard");
  }

  /** A key figure's value as a number ("1,204" reads 1204). */
  async readKpi(name: string): Promise<number> {
    return Number((await this.page.getByTestId(`kpi-${name}`).locator("dd").first().innerText()).replace(/,/g, ""));
  }
}
