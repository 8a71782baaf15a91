//! Live reload over server-sent events: the script served pages load, the
//! broadcast of rebuild results to every open page, and the error overlay
//! (file, line, message) shown while the site does not build.
//!
//! A reload sent before a page's event stream is connected (the page was
//! still loading, or away: a network blip, a sleeping laptop) would be lost.
//! So every served page carries the number of the build it shows
//! ([`injection`]), the stream's first event is the current build
//! ([`stream`]), and the script reloads a page whose build is older, on
//! every connect and reconnect.

use std::io::Write;
use std::sync::Mutex;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

/// Where pages load the script from, and where it listens.
pub const SCRIPT_PATH: &str = "/__vitrine/reload.js";
/// The overlay's stylesheet: no inline style, so pages keep their strict CSP.
pub const STYLE_PATH: &str = "/__vitrine/reload.css";
pub const EVENTS_PATH: &str = "/__vitrine/events";

/// What open pages are told.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// The site was rebuilt: reload the page.
    Reload,
    /// Only stylesheets changed: swap them without reloading. The page
    /// then shows this build.
    Css(u64),
    /// The site does not build: show this report over the page.
    Error(String),
}

impl Message {
    /// The message as one server-sent event.
    fn event(&self) -> String {
        match self {
            Message::Reload => "event: reload\ndata: page\n\n".to_string(),
            // `id:` reaches the script as the event's `lastEventId`.
            Message::Css(build) => format!("event: reload\ndata: css\nid: {build}\n\n"),
            // JSON keeps the multi-line report on one `data:` line.
            Message::Error(text) => format!(
                "event: build-error\ndata: {}\n\n",
                serde_json::Value::from(text.as_str())
            ),
        }
    }
}

/// Every open page's event stream.
#[derive(Default)]
pub struct Broadcaster {
    clients: Mutex<Vec<Sender<Message>>>,
}

impl Broadcaster {
    pub fn subscribe(&self) -> Receiver<Message> {
        let (tx, rx) = mpsc::channel();
        if let Ok(mut clients) = self.clients.lock() {
            clients.push(tx);
        }
        rx
    }

    /// Sends to every page still listening, forgetting the closed ones.
    pub fn send(&self, message: &Message) {
        if let Ok(mut clients) = self.clients.lock() {
            clients.retain(|c| c.send(message.clone()).is_ok());
        }
    }
}

/// The event that opens every stream: the build the site is at.
fn build_event(build: u64) -> String {
    format!("event: build\ndata: {build}\n\n")
}

/// Streams events to one page until it goes away. The current `build`
/// comes first, so a page served before it reloads; then `current_error`,
/// so a page opened during an error shows it at once.
pub fn stream(
    mut out: Box<dyn Write + Send>,
    messages: Receiver<Message>,
    build: u64,
    current_error: Option<String>,
) {
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\
                Connection: close\r\n\r\nretry: 500\n\n";
    if out.write_all(head.as_bytes()).and_then(|()| out.flush()).is_err()
        || write_event(&mut out, &build_event(build)).is_err()
    {
        return;
    }
    if let Some(text) = current_error
        && write_event(&mut out, &Message::Error(text).event()).is_err()
    {
        return;
    }
    loop {
        let event = match messages.recv_timeout(Duration::from_secs(15)) {
            Ok(message) => message.event(),
            // A comment line: finds out when the page has gone.
            Err(RecvTimeoutError::Timeout) => ": keep-alive\n\n".to_string(),
            Err(RecvTimeoutError::Disconnected) => return,
        };
        if write_event(&mut out, &event).is_err() {
            return;
        }
    }
}

fn write_event(out: &mut Box<dyn Write + Send>, event: &str) -> std::io::Result<()> {
    out.write_all(event.as_bytes())?;
    out.flush()
}

/// The script every served page loads.
pub const SCRIPT: &str = r#"(() => {
  const overlayId = "vitrine-error-overlay";
  function showError(text) {
    let box = document.getElementById(overlayId);
    if (!box) {
      box = document.createElement("div");
      box.id = overlayId;
      box.setAttribute("role", "alert");
      const pre = document.createElement("pre");
      box.appendChild(pre);
      document.body.appendChild(box);
    }
    box.querySelector("pre").textContent = "vitrine: the site does not build; the last good version is served.\n\n" + text;
  }
  // The build this page shows, written into its script tag when served.
  let shown = document.currentScript?.dataset.build;
  const events = new EventSource("/__vitrine/events");
  // The stream's first event, on every connect and reconnect: a reload
  // sent while this page was loading or away is not lost.
  events.addEventListener("build", (e) => {
    if (shown !== undefined && e.data !== shown) location.reload();
  });
  events.addEventListener("build-error", (e) => showError(JSON.parse(e.data)));
  events.addEventListener("reload", (e) => {
    if (e.data !== "css") {
      location.reload();
      return;
    }
    shown = e.lastEventId;
    document.getElementById(overlayId)?.remove();
    for (const link of document.querySelectorAll('link[rel~="stylesheet"]')) {
      const url = new URL(link.href);
      url.searchParams.set("vitrine-reload", Date.now());
      link.href = url.href;
    }
  });
})();
"#;

/// The overlay's look, served at [`STYLE_PATH`].
pub const STYLE: &str = "#vitrine-error-overlay{position:fixed;inset:0;z-index:2147483647;overflow:auto;\
background:rgba(20,20,20,.92);color:#fff;padding:2rem;font:14px/1.5 ui-monospace,monospace;direction:ltr;\
text-align:left}#vitrine-error-overlay pre{white-space:pre-wrap}\n";

/// What is added before `</body>` of every served page: the script, with
/// the `build` the page is from, and the overlay's stylesheet (files, not
/// inline: pages run under a strict CSP), and the overlay itself while
/// there is an error (so it shows without script).
pub fn injection(build: u64, error: Option<&str>) -> String {
    let mut html = format!(
        r#"<link rel="stylesheet" href="{STYLE_PATH}"><script src="{SCRIPT_PATH}" data-build="{build}" defer></script>"#
    );
    if let Some(text) = error {
        html.push_str(&format!(
            "<div id=\"vitrine-error-overlay\" role=\"alert\"><pre>vitrine: the site does not build; \
             the last good version is served.\n\n{}</pre></div>",
            vitrine_output::xml_escape(text)
        ));
    }
    html
}

/// Inserts `extra` before the last `</body>` (or at the end).
pub fn inject(html: &[u8], extra: &str) -> Vec<u8> {
    let at = find_last(html, b"</body>").unwrap_or(html.len());
    let mut out = Vec::with_capacity(html.len() + extra.len());
    out.extend_from_slice(&html[..at]);
    out.extend_from_slice(extra.as_bytes());
    out.extend_from_slice(&html[at..]);
    out
}

fn find_last(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .rposition(|w| w.eq_ignore_ascii_case(needle))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injects_before_the_closing_body() {
        let html = b"<html><body><p>x</p></BODY></html>";
        let out = String::from_utf8(inject(html, "<script></script>")).unwrap_or_default();
        assert_eq!(out, "<html><body><p>x</p><script></script></BODY></html>");
        assert_eq!(inject(b"<p>x</p>", "!"), b"<p>x</p>!");
    }

    #[test]
    fn errors_are_escaped_and_on_one_data_line() {
        let event = Message::Error("a <b>\nline 2".to_string()).event();
        assert_eq!(event, "event: build-error\ndata: \"a <b>\\nline 2\"\n\n");
        assert!(injection(1, Some("<script>")).contains("&lt;script&gt;"));
        assert!(!injection(1, None).contains("overlay"));
    }

    #[test]
    fn pages_and_streams_name_their_build() {
        assert!(injection(7, None).contains(r#"<script src="/__vitrine/reload.js" data-build="7" defer>"#));
        assert_eq!(build_event(7), "event: build\ndata: 7\n\n");
        assert_eq!(Message::Css(8).event(), "event: reload\ndata: css\nid: 8\n\n");
    }
}
