/**
 * The reader process: a file is read in a process of its own and the reading comes back whole
 * (page images as Buffers); a read past its time ends that process and fails with a reason that
 * names no content, and the next read gets a new process.
 */
import { afterAll, describe, expect, it } from "vitest";
import { buildCase } from "../../test/documents/corpus";
import { createReader } from "./document-reader";

const reader = createReader({ idleMs: 5_000 });
afterAll(() => reader.stop());

describe("the reader process", () => {
  it(
    "reads in its own process, and a read past its time fails alone: the next read works",
    { timeout: 120_000 },
    async () => {
      const c = await buildCase({ kind: "text-pdf", index: 0 });
      const bytes = c.files.find((f) => f.isOrder)!.bytes;
      const reading = await reader.read(bytes, { images: true }, 60_000);
      expect(reading).toMatchObject({ state: "read", method: "text", pageCount: 1 });
      const png = reading.state === "read" ? reading.images![0]!.png : null;
      expect(Buffer.isBuffer(png)).toBe(true);
      expect(png!.subarray(1, 4).toString("latin1")).toBe("PNG");

      await expect(reader.read(bytes, { images: true }, 1)).rejects.toMatchObject({
        name: "ReaderFailed",
        message: "the file was not read within 0 s",
      });
      expect(await reader.read(bytes, {}, 60_000)).toMatchObject({ state: "read", pageCount: 1 });
    },
  );
});
