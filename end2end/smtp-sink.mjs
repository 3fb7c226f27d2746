// A small SMTP server for the journeys: accepts every mail on 127.0.0.1 and writes each one, as
// received, to MAIL_DIR/<n>.eml with the envelope's recipients in a first `X-Envelope-To:` line.
// Started by scripts/e2e-server.sh beside the application, which delivers its outbox here.
import net from "node:net";
import fs from "node:fs";
import path from "node:path";

const port = Number(process.env.SMTP_PORT ?? 3211);
const dir = process.env.MAIL_DIR;
if (!dir) throw new Error("MAIL_DIR is required");
fs.mkdirSync(dir, { recursive: true });
let count = 0;

net
  .createServer((socket) => {
    let buffer = "";
    let inData = false;
    let data = [];
    let to = [];
    const reply = (line) => socket.write(line + "\r\n");
    reply("220 sink.local ESMTP");
    socket.on("data", (chunk) => {
      buffer += chunk.toString("utf8");
      let end;
      while ((end = buffer.indexOf("\r\n")) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === ".") {
            inData = false;
            count += 1;
            const file = path.join(dir, `${String(count).padStart(4, "0")}.eml`);
            fs.mkdirSync(dir, { recursive: true });
            fs.writeFileSync(file, `X-Envelope-To: ${to.join(", ")}\r\n` + data.join("\r\n"));
            data = [];
            to = [];
            reply("250 OK");
          } else {
            data.push(line.startsWith("..") ? line.slice(1) : line);
          }
          continue;
        }
        const command = line.toUpperCase();
        if (command.startsWith("EHLO")) reply("250-sink.local\r\n250-8BITMIME\r\n250 SMTPUTF8");
        else if (command.startsWith("RCPT TO:")) {
          to.push(line.slice(8).trim().replace(/^<|>$/g, ""));
          reply("250 OK");
        } else if (command === "DATA") {
          inData = true;
          reply("354 End data with <CR><LF>.<CR><LF>");
        } else if (command === "QUIT") {
          reply("221 Bye");
          socket.end();
        } else reply("250 OK");
      }
    });
    socket.on("error", () => {});
  })
  .listen(port, "127.0.0.1");
