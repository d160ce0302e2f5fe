import { zodResolver } from "@hookform/resolvers/zod";
import type { ResolverOptions } from "react-hook-form";
import { describe, expect, it } from "vitest";
import { lazySchema, lazyZodResolver } from "./lazy-schema";
import { ZRejectInput, type TRejectInput } from "@/lib/validations/decisions";

const options: ResolverOptions<TRejectInput> = { fields: {}, shouldUseNativeValidation: false };
const invalid: TRejectInput = { referralId: "not-a-uuid", version: 0, reasonCode: "", comment: "" };
const valid: TRejectInput = {
  referralId: "6f1c1d8e-1111-4c3a-9c1e-2d7b1f0a9e11",
  version: 3,
  reasonCode: "duplicate",
  comment: "Sent twice by the agency",
};

describe("lazyZodResolver", () => {
  it("loads the schema on the first validation, once, and answers as zodResolver does", async () => {
    let loads = 0;
    const resolver = lazyZodResolver(async () => {
      loads++;
      return ZRejectInput;
    });
    expect(loads).toBe(0);
    const lazy = await resolver(invalid, undefined, options);
    const eager = await zodResolver(ZRejectInput)(invalid, undefined, options);
    expect(lazy).toEqual(eager);
    expect(Object.keys(lazy.errors).sort()).toEqual(["comment", "reasonCode", "referralId", "version"]);
    expect(await resolver(valid, undefined, options)).toEqual(
      await zodResolver(ZRejectInput)(valid, undefined, options),
    );
    expect(loads).toBe(1);
  });

  it("tries the download again after it failed", async () => {
    let attempts = 0;
    const schema = lazySchema(async () => {
      if (++attempts === 1) throw new Error("offline");
      return ZRejectInput;
    });
    const resolver = lazyZodResolver(schema);
    await expect(resolver(valid, undefined, options)).rejects.toThrow("offline");
    expect(schema.current()).toBeNull();
    expect((await resolver(valid, undefined, options)).errors).toEqual({});
    expect(schema.current()).toBe(ZRejectInput);
    expect(attempts).toBe(2);
  });
});
