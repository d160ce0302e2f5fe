import { describe, expect, it } from "vitest";
import { localMidnightIso } from "./local-midnight";

describe("localMidnightIso", () => {
  it("writes local midnight with the zone's offset on that day, keeping the date part", () => {
    expect(localMidnightIso("2023-05-31", "America/Denver")).toBe("2023-05-31T00:00:00-06:00");
    expect(localMidnightIso("2023-01-15", "America/Denver")).toBe("2023-01-15T00:00:00-07:00");
    expect(localMidnightIso("2023-04-01", "America/Chicago")).toBe("2023-04-01T00:00:00-05:00");
    expect(localMidnightIso("2024-03-10", "America/New_York")).toBe("2024-03-10T00:00:00-05:00");
    expect(localMidnightIso("2024-03-11", "America/New_York")).toBe("2024-03-11T00:00:00-04:00");
    expect(localMidnightIso("2024-06-01", "Asia/Kolkata")).toBe("2024-06-01T00:00:00+05:30");
    expect(localMidnightIso("2024-06-01", "UTC")).toBe("2024-06-01T00:00:00+00:00");
    expect(localMidnightIso("2024-06-01", "Pacific/Kiritimati")).toBe("2024-06-01T00:00:00+14:00");
  });
  it("names the same instant as midnight in that zone", () => {
    const iso = localMidnightIso("2024-11-03", "America/Los_Angeles");
    const local = new Intl.DateTimeFormat("en-CA", {
      timeZone: "America/Los_Angeles",
      dateStyle: "short",
      timeStyle: "short",
      hourCycle: "h23",
    }).format(new Date(iso));
    expect(local).toMatch(/^2024-11-03,? 00:00$/);
  });
});
