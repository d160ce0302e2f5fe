import { z } from "zod";
import { ZReferralRequest } from "./schema";

const ZError = z.object({
  error: z.string().describe("Machine-readable code, e.g. invalid_data"),
  message: z.string(),
  issues: z.array(z.object({ path: z.string().describe("e.g. form_data.fields[3].field_id"), message: z.string() })),
});

const ZAccepted = z.object({
  id: z.uuid().describe("The referral request's id in CSI Referral Review"),
  request_id: z.string(),
  status: z.string(),
  duplicate: z.boolean().optional().describe("true on a redelivery of content already stored"),
  amendment: z.number().int().optional().describe("set when different content arrived under the same request_id"),
});

const json = (schema: z.ZodType) =>
  z.toJSONSchema(schema, { target: "draft-2020-12", io: "input", unrepresentable: "any" });

/** OpenAPI 3.1 of the webhook, generated from the same zod schema the handler validates with. */
export function buildOpenApiDocument() {
  const error = (description: string) => ({
    description,
    content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
  });
  return {
    openapi: "3.1.0",
    info: {
      title: "CSI Referral Review: referral request webhook",
      version: "1.0.0",
      description:
        'AlayaConnector delivers each submitted "CSI New Referral Request" form here. Idempotent on request_id: the same content again answers 200 with the same id; different content under the same request_id is kept as an amendment. A payload without request_id gets one derived from agency, client, form schema and submission time.',
    },
    paths: {
      "/api/referral-requests": {
        post: {
          operationId: "receiveReferralRequest",
          security: [{ basic: [] }, { bearer: [] }],
          parameters: ["webhook-id", "webhook-timestamp", "webhook-signature"].map((name) => ({
            name,
            in: "header",
            required: false,
            schema: { type: "string" },
            description: "Standard Webhooks header; required when the API client has a signing secret",
          })),
          requestBody: {
            required: true,
            content: { "application/json": { schema: { $ref: "#/components/schemas/ReferralRequest" } } },
          },
          responses: {
            "201": {
              description: "Stored (new, or an amendment)",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Accepted" } } },
            },
            "200": {
              description: "Redelivery of content already stored",
              content: { "application/json": { schema: { $ref: "#/components/schemas/Accepted" } } },
            },
            "400": error("Malformed JSON"),
            "401": error("Missing or invalid credentials or signature"),
            "409": error("Replayed webhook-id"),
            "413": error("Body or a file too large"),
            "415": error("Not JSON"),
            "422": error("Schema violation; issues[].path names the field"),
            "503": error("Temporarily unable to store; retry"),
          },
        },
      },
      "/api/health": {
        get: {
          operationId: "health",
          responses: { "200": { description: "ok" }, "503": { description: "database unreachable or not migrated" } },
        },
      },
    },
    components: {
      securitySchemes: {
        basic: { type: "http", scheme: "basic", description: "API key as user name, secret as password" },
        bearer: { type: "http", scheme: "bearer", description: "The API secret" },
      },
      schemas: { ReferralRequest: json(ZReferralRequest), Accepted: json(ZAccepted), Error: json(ZError) },
    },
  };
}
