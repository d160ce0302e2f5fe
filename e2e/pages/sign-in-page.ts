import { PageObject } from "./app-page";

/** /sign-in: the credentials form and the messages it shows (a refusal, a signed-out or idle notice). */
export class SignInPage extends PageObject {
  readonly email = this.page.getByLabel("E-mail");
  readonly password = this.page.getByLabel("Password");
  readonly submitButton = this.page.getByRole("button", { name: "Sign in" });
  /** The refusal of a wrong e-mail or password. */
  readonly error = this.page.getByRole("main").getByRole("alert");
  /** Why the visitor is here: signed out, or signed out for inactivity. */
  readonly notice = this.page.getByRole("main").getByRole("status");

  async goto(): Promise<void> {
    await this.page.goto("/sign-in");
  }

  async signIn(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.submitButton.click();
  }
}
