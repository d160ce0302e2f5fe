/**
 * A real SMTP server for tests (the smtp-server package), run as its own process on loopback.
 * Prints `{"port":N}` once listening, then one JSON line per accepted message
 * ({ from, to, subject, messageId, text }). A recipient whose address starts with "tempfail"
 * is refused with 451 (a temporary failure), as a busy relay would.
 */
import { SMTPServer } from "smtp-server";

/** The body as written (quoted-printable and base64 decoded), lines joined with \n. */
function decode(body, encoding) {
  const e = (encoding || "").toLowerCase();
  if (e === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8").replace(/\r\n/g, "\n");
  if (e === "quoted-printable") {
    const bytes = body
      .replace(/=\r?\n/g, "")
      .replace(/=([0-9A-F]{2})/gi, (_, h) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8").replace(/\r\n/g, "\n");
  }
  return body.replace(/\r\n/g, "\n");
}

const server = new SMTPServer({
  authOptional: true,
  disabledCommands: ["STARTTLS"],
  logger: false,
  onRcptTo(address, _session, callback) {
    if (address.address.startsWith("tempfail")) {
      const err = new Error("Try again later");
      err.responseCode = 451;
      return callback(err);
    }
    callback();
  },
  onData(stream, session, callback) {
    const chunks = [];
    stream.on("data", (c) => chunks.push(c));
    stream.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      const [head, ...rest] = raw.split(/\r?\n\r?\n/);
      const header = (name) => {
        const m = head.match(new RegExp(`^${name}:\\s*((?:.*)(?:\\r?\\n[ \\t].*)*)`, "im"));
        return m ? m[1].replace(/\r?\n[ \t]+/g, " ").trim() : null;
      };
      process.stdout.write(
        `${JSON.stringify({
          from: session.envelope.mailFrom && session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((r) => r.address),
          subject: header("Subject"),
          messageId: header("Message-ID"),
          text: decode(rest.join("\n\n"), header("Content-Transfer-Encoding")),
        })}\n`,
      );
      callback();
    });
  },
});

server.listen(0, "127.0.0.1", () =>
  process.stdout.write(`${JSON.stringify({ port: server.server.address().port })}\n`),
);
process.on("SIGTERM", () => server.close(() => process.exit(0)));
