//! A real SMTP server for the tests, on 127.0.0.1: it speaks enough of RFC 5321 for lettre,
//! keeps every message it accepts, and can refuse the next N mails with a temporary error.

use base64::Engine;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One message as received: envelope and the raw DATA.
#[derive(Clone, Debug)]
pub struct Received {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

impl Received {
    /// A header's value, decoded when it is an RFC 2047 encoded word (`=?utf-8?b?…?=`).
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.data.split("\r\n\r\n").next()?;
        let mut value: Option<String> = None;
        for line in head.split("\r\n") {
            if let Some(v) = value.as_mut() {
                if line.starts_with([' ', '\t']) {
                    v.push_str(line);
                    continue;
                }
                break;
            }
            if let Some((n, v)) = line.split_once(':') {
                if n.eq_ignore_ascii_case(name) {
                    value = Some(v.trim().to_string());
                }
            }
        }
        value.map(|v| decode_words(&v))
    }

    /// The decoded body of the part of this content type (`text/plain`, `text/html`).
    pub fn part(&self, content_type: &str) -> Option<String> {
        let marker = format!("Content-Type: {content_type}");
        let start = self.data.find(&marker)?;
        let after = &self.data[start..];
        let body_start = after.find("\r\n\r\n")? + 4;
        let body = &after[body_start..];
        let end = body.find("\r\n--").unwrap_or(body.len());
        Some(decode_quoted_printable(&body[..end]))
    }
}

fn decode_words(value: &str) -> String {
    // RFC 2047: the space between two encoded words is dropped, any other is kept.
    let mut out = String::new();
    let mut previous_encoded = false;
    for word in value.split_whitespace() {
        let lower = word.to_ascii_lowercase();
        let decoded = if lower.starts_with("=?utf-8?b?") && word.ends_with("?=") {
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(&word[10..word.len() - 2])
                .expect("base64 encoded word");
            Some(String::from_utf8(bytes).expect("UTF-8 encoded word"))
        } else if lower.starts_with("=?utf-8?q?") && word.ends_with("?=") {
            Some(decode_quoted_printable(&word[10..word.len() - 2].replace('_', " ")))
        } else {
            None
        };
        let joined_words = previous_encoded && decoded.is_some();
        if !out.is_empty() && !joined_words {
            out.push(' ');
        }
        previous_encoded = decoded.is_some();
        out.push_str(decoded.as_deref().unwrap_or(word));
    }
    out
}

fn decode_quoted_printable(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'=' if bytes[i + 1..].starts_with(b"\r\n") => i += 3,
            b'=' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ASCII");
                out.push(u8::from_str_radix(hex, 16).expect("=XX"));
                i += 3;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("UTF-8 body").replace("\r\n", "\n")
}

/// The server: its port, the messages it accepted, how many mails it still refuses.
#[derive(Clone)]
pub struct SmtpServer {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    refuse_next: Arc<Mutex<usize>>,
}

impl SmtpServer {
    pub async fn start() -> SmtpServer {
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the test SMTP server");
        let server = SmtpServer {
            port: listener.local_addr().unwrap().port(),
            received: Arc::default(),
            refuse_next: Arc::default(),
        };
        let shared = server.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let shared = shared.clone();
                tokio::spawn(async move {
                    let _ = shared.converse(socket).await;
                });
            }
        });
        server
    }

    /// The next `n` mails get `451` (try again later) at MAIL FROM.
    pub fn refuse_next(&self, n: usize) {
        *self.refuse_next.lock().unwrap() = n;
    }

    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// `[mail]` settings pointing here.
    pub fn config(&self) -> jesaisfaire::server::config::MailConfig {
        jesaisfaire::server::config::MailConfig {
            host: "127.0.0.1".into(),
            port: self.port,
            tls: jesaisfaire::server::config::MailTls::None,
            from: "JeSaisFaire <ne-pas-repondre@jesaisfaire.test>".into(),
            credentials: None,
        }
    }

    async fn converse(&self, socket: tokio::net::TcpStream) -> std::io::Result<()> {
        let (read, mut write) = socket.into_split();
        let mut lines = BufReader::new(read);
        write.write_all(b"220 test.local ESMTP\r\n").await?;
        let (mut from, mut to) = (String::new(), Vec::new());
        loop {
            let mut line = String::new();
            if lines.read_line(&mut line).await? == 0 {
                return Ok(());
            }
            let command = line.trim_end().to_string();
            let upper = command.to_ascii_uppercase();
            if upper.starts_with("EHLO") {
                write
                    .write_all(b"250-test.local\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
                    .await?;
            } else if upper.starts_with("HELO") || upper.starts_with("NOOP") || upper.starts_with("RSET") {
                write.write_all(b"250 OK\r\n").await?;
            } else if upper.starts_with("MAIL FROM:") {
                let refuse = {
                    let mut left = self.refuse_next.lock().unwrap();
                    let refuse = *left > 0;
                    *left = left.saturating_sub(1);
                    refuse
                };
                if refuse {
                    write.write_all(b"451 4.3.0 Try again later\r\n").await?;
                } else {
                    from = command[10..].trim().to_string();
                    write.write_all(b"250 OK\r\n").await?;
                }
            } else if upper.starts_with("RCPT TO:") {
                to.push(command[8..].trim().trim_matches(['<', '>']).to_string());
                write.write_all(b"250 OK\r\n").await?;
            } else if upper == "DATA" {
                write.write_all(b"354 End data with <CR><LF>.<CR><LF>\r\n").await?;
                let mut data = String::new();
                loop {
                    let mut line = String::new();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    data.push_str(
                        line.strip_prefix('.')
                            .filter(|_| line.starts_with(".."))
                            .unwrap_or(&line),
                    );
                }
                self.received.lock().unwrap().push(Received {
                    from: std::mem::take(&mut from),
                    to: std::mem::take(&mut to),
                    data,
                });
                write.write_all(b"250 OK queued\r\n").await?;
            } else if upper == "QUIT" {
                write.write_all(b"221 Bye\r\n").await?;
                return Ok(());
            } else {
                write.write_all(b"502 Command not implemented\r\n").await?;
            }
        }
    }
}
