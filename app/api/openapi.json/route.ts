import { buildOpenApiDocument } from "@/lib/intake/openapi";

export const dynamic = "force-static";

export function GET() {
  return Response.json(buildOpenApiDocument());
}
