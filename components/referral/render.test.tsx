/**
 * The referral page's payload parts never fail on one odd value: a picture URL that is not valid
 * percent-encoding, a value nested deeper than a recursive walk can go (payloads stored before
 * the intake bounded nesting), a medical history of the wrong shape. What can be rendered is;
 * the odd value is shown raw. Rendered with React's server renderer, as the page is.
 */
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { readReferencePayload } from "@/lib/demo/reference-payload";
import { Amendments } from "./amendments";
import { FieldGroups } from "./field-groups";
import { RawPayload } from "./raw-payload";
import type { ReferralDetail } from "@/lib/referrals/detail";
import { contentSecurityPolicy } from "@/proxy";

const deep = (depth: number) => {
  let v: unknown = "leaf";
  for (let i = 0; i < depth; i++) v = { d: v };
  return v;
};

function oddPayload() {
  const p = readReferencePayload();
  const picture = p.form_data.fields.find((f) => f.field_type === "picture")!;
  picture.field_value = "https://csi.uat.alayacare.com/api/v1/files/100%.png";
  p.form_data.fields.push(
    { field_id: 9001, field_label: "Signature", field_type: "signature", field_value: deep(8000) },
    {
      field_id: 9002,
      field_label: "Odd history",
      field_type: "medical_history",
      field_value: [null, 5, { values: "x" }],
    },
  );
  return p;
}

describe("the referral page's payload parts", () => {
  it("render every field, the odd ones as they are", () => {
    const html = renderToStaticMarkup(<FieldGroups payload={oddPayload()} changedLabels={new Set()} />);
    // The picture link keeps the URL; its text is the undecodable name as it is.
    expect(html).toContain('href="https://csi.uat.alayacare.com/api/v1/files/100%.png"');
    expect(html).toContain(">100%.png<");
    // The deep value is shown raw, and the fields after it are still there.
    expect(html).toContain('data-field-label="Signature"');
    expect(html).toContain("&quot;leaf&quot;");
    expect(html).toContain('data-field-label="Odd history"');
    expect(html).toContain('data-field-label="Zip Code"');
    expect(html).toContain("45458");
  });

  it("load no remote picture with the page: the link opens it, naming its host, and CSP img-src allows no remote host", () => {
    const p = readReferencePayload();
    const picture = p.form_data.fields.find((f) => f.field_type === "picture")!;
    picture.field_value = "https://tracker.example.net/pixel/photo.jpg?u=1";
    const html = renderToStaticMarkup(<FieldGroups payload={p} changedLabels={new Set()} />);
    expect(html).not.toMatch(/<img[^>]*src="https?:/);
    expect(html).not.toContain("<img");
    expect(html).toMatch(/<a [^>]*href="https:\/\/tracker\.example\.net\/pixel\/photo\.jpg\?u=1"[^>]*target="_blank"/);
    expect(html).toContain('data-picture-host="tracker.example.net"');
    expect(html).toContain("Picture on <span");
    expect(html).toMatch(/>tracker\.example\.net<\/span>: not loaded here/);

    const csp = contentSecurityPolicy("n0nce", { https: true, dev: false, ssoOrigin: "https://sso.example.org" });
    const img = csp.split("; ").find((d) => d.startsWith("img-src "))!;
    expect(img.split(" ").slice(1).sort()).toEqual(["'self'", "blob:", "data:"]);
    expect(csp).not.toMatch(/img-src[^;]*(https:|http:|\*)/);
  });

  it("show a raw payload of any depth", () => {
    const html = renderToStaticMarkup(<RawPayload payload={oddPayload()} seq={1} />);
    expect(html).toContain("&quot;leaf&quot;");
    expect(html).toContain("Smithers");
  });

  it("compare an amendment that changed a deep value", () => {
    const original = readReferencePayload();
    const latest = oddPayload();
    const d = {
      decided: null,
      original: { seq: 1, receivedAt: new Date().toISOString(), payload: original },
      latest: { seq: 2, receivedAt: new Date().toISOString(), payload: latest },
    } as unknown as ReferralDetail;
    const html = renderToStaticMarkup(<Amendments d={d} />);
    expect(html).toContain(">Signature<");
    expect(html).toContain("Physician order (PDF)");
  });
});
