import { describe, expect, it } from "vitest";
import { itReturns } from "../../test/support/tables";
import { safeNextPath } from "./auth";

describe("safeNextPath: only this app's paths are followed after sign-in", () => {
  it.each([
    "/\t/evil.example", // browsers drop the tab: //evil.example
    "/\n/evil.example",
    "/\r\n/evil.example",
    "//evil.example",
    "//evil.example/queue",
    "/\\evil.example", // browsers read \ as /
    "/\\/evil.example",
    "\\\\evil.example",
    "/..//evil.example",
    "/./\t/evil.example",
    " /queue",
    "/ /evil.example",
    "https://evil.example/queue",
    "http:evil.example",
    "javascript:alert(1)",
    "evil.example",
    "",
    "/sign-in?next=/queue",
    "/api/auth/signout",
    42,
    undefined,
    null,
  ])("refuses %j", (next) => {
    expect(safeNextPath(next)).toBe("/queue");
  });

  itReturns("follows %j", safeNextPath, [
    ["/queue", "/queue"],
    ["/queue?tab=new&sort=age", "/queue?tab=new&sort=age"],
    ["/referrals/6f1c0a52-0c5e-4a9e-9b3b-0d7f2d0c1a11#files", "/referrals/6f1c0a52-0c5e-4a9e-9b3b-0d7f2d0c1a11#files"],
    ["/admin/../audit", "/audit"],
  ]);
});
