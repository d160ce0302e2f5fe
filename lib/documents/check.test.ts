/**
 * The API's answer built from a referral's files and stored payload: its shape maps 1:1 onto the
 * documents-and-checks contract, duplicate files are skipped, unreadable ones say why.
 */
import { describe, expect, it } from "vitest";
import { buildCase } from "../../test/documents/corpus";
import { zipBytes } from "../../test/documents/files";
import { checkReferral } from "./check";
import { readFiles } from "./read";

describe("checkReferral", () => {
  it("answers in the contract's shape, each match with its source", async () => {
    const c = await buildCase({ kind: "text-pdf", index: 2 });
    const files = await readFiles([
      ...c.files.map((f) => ({ file_id: f.file_id, bytes: f.bytes, contentType: f.contentType })),
      { file_id: "junk", bytes: zipBytes(), contentType: "image/png" },
    ]);
    const answer = checkReferral(c.payload, files);
    expect(answer.status).toBe("done");
    expect(answer.documents).toEqual([
      { file_id: c.files[0]!.file_id, state: "read", method: "text", pages: 1, reason: null },
      { file_id: c.files[1]!.file_id, state: "read", method: "text", pages: 1, reason: null },
      {
        file_id: "junk",
        state: "unreadable",
        method: null,
        pages: null,
        reason: "not a document: the file is application/zip (.zip), not a PDF or an image",
      },
    ]);
    expect(answer.order?.file_id).toBe(c.files.find((f) => f.isOrder)!.file_id);
    for (const check of answer.checks) {
      expect(Object.keys(check).sort()).toEqual(["field", "form", "order", "source", "verdict"]);
      expect(check.verdict).toBe(c.expected[check.field]);
      expect(Object.keys(check.source!).sort()).toEqual(["box", "file_id", "page"]);
      expect(check.source!.page).toBe(1);
      expect(check.source!.box).toHaveLength(4);
    }
  });

  it("reads the same bytes once, and says the copy was skipped", async () => {
    const c = await buildCase({ kind: "text-pdf", index: 0 });
    const bytes = c.files[0]!.bytes;
    const files = await readFiles([
      { file_id: "a", bytes },
      { file_id: "b", bytes },
    ]);
    expect(checkReferral(c.payload, files).documents[1]).toEqual({
      file_id: "b",
      state: "skipped",
      method: null,
      pages: null,
      reason: "the same file as another of this referral's files",
    });
  });

  it("with no readable order, checks every field as not found", () => {
    const answer = checkReferral({ client: { first_name: "Jane", last_name: "Smithers" } }, [
      { file_id: "x", reading: { state: "unreadable", reason: "the file is empty", pageCount: null } },
    ]);
    expect(answer.order).toBeNull();
    expect(answer.checks.map((c) => c.verdict)).toEqual(Array(9).fill("not_found"));
  });
});
