//! HTTP: answers requests from the in-memory site (rendered files, and
//! static files read from the site folder), with pretty URLs, content types,
//! the site's 404 pages and the live-reload endpoints. Only paths the build
//! produced are served: `..`, encoded traversal and symlinks leading out of
//! the site folder get a 404.

use std::collections::HashMap;
use std::sync::Arc;

use percent_encoding::percent_decode_str;
use tiny_http::{Header, Method, Request, Response};

use super::Shared;
use super::reload::{self, EVENTS_PATH, SCRIPT, SCRIPT_PATH, STYLE, STYLE_PATH};
use crate::output::{FileContent, content_type};

/// What a request path leads to.
#[derive(Debug, PartialEq, Eq)]
pub enum Lookup {
    /// The served file at this output path.
    File(String),
    /// A folder asked for without its trailing slash.
    Redirect(String),
    NotFound,
}

/// Finds the output file for a URL path (already without query string).
pub fn resolve(files: &HashMap<String, FileContent>, url_path: &str) -> Lookup {
    let Ok(decoded) = percent_decode_str(url_path).decode_utf8() else {
        return Lookup::NotFound;
    };
    let relative = decoded.trim_start_matches('/');
    let unsafe_part = |part: &str| part == ".." || part == "." || part.contains('\\') || part.contains('\0');
    if relative.split('/').any(unsafe_part) && !relative.is_empty() {
        return Lookup::NotFound;
    }
    if relative.is_empty() || relative.ends_with('/') {
        let index = format!("{relative}index.html");
        return if files.contains_key(&index) {
            Lookup::File(index)
        } else {
            Lookup::NotFound
        };
    }
    if files.contains_key(relative) {
        return Lookup::File(relative.to_string());
    }
    if files.contains_key(&format!("{relative}/index.html")) {
        return Lookup::Redirect(format!("{}/", url_path));
    }
    Lookup::NotFound
}

fn header(name: &str, value: &str) -> Option<Header> {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).ok()
}

/// Answers one request (on its own thread: event streams stay open).
pub fn handle(shared: &Arc<Shared>, request: Request) {
    let host = request
        .headers()
        .iter()
        .find(|h| h.field.equiv("Host"))
        .map(|h| h.value.as_str().to_string());
    if !shared.address.allows(host.as_deref()) {
        let text = "vitrine serve answers only its own address, localhost and 127.0.0.1 \
                    (this request named another host)";
        let _ = request.respond(Response::from_string(text).with_status_code(403));
        return;
    }
    let url = request.url().to_string();
    let path = url.split(['?', '#']).next().unwrap_or("/").to_string();
    if path == EVENTS_PATH {
        let messages = shared.reload.subscribe();
        let error = shared.error();
        reload::stream(request.into_writer(), messages, error);
        return;
    }
    if !matches!(request.method(), Method::Get | Method::Head) {
        let _ = request.respond(Response::from_string("method not allowed").with_status_code(405));
        return;
    }
    if path == SCRIPT_PATH {
        let _ = request.respond(bytes_response(200, "reload.js", SCRIPT.as_bytes().to_vec(), None));
        return;
    }
    if path == STYLE_PATH {
        let _ = request.respond(bytes_response(200, "reload.css", STYLE.as_bytes().to_vec(), None));
        return;
    }
    let (status, file, body) = answer(shared, &path);
    let response = match body {
        Some(body) => bytes_response(status, &file, body, shared.error().as_deref()).boxed(),
        None => {
            let mut r = Response::empty(status);
            if let Some(location) = header("Location", &file) {
                r.add_header(location);
            }
            r.boxed()
        }
    };
    let _ = request.respond(response);
}

/// Status, output path (or redirect target) and body for a URL path.
fn answer(shared: &Shared, path: &str) -> (u16, String, Option<Vec<u8>>) {
    let files = shared.files.read().map(|f| resolve(&f, path));
    match files {
        Ok(Lookup::File(file)) => match read(shared, &file) {
            Some(body) => (200, file, Some(body)),
            None => not_found(shared, path),
        },
        Ok(Lookup::Redirect(to)) => (301, to, None),
        _ => not_found(shared, path),
    }
}

/// The site's 404 page of the language the path is in, else the default one.
fn not_found(shared: &Shared, path: &str) -> (u16, String, Option<Vec<u8>>) {
    let first = path.trim_start_matches('/').split('/').next().unwrap_or_default();
    let candidates = [format!("{first}/404.html"), "404.html".to_string()];
    for candidate in candidates {
        if let Some(body) = read(shared, &candidate) {
            return (404, candidate, Some(body));
        }
    }
    // No 404 page (or no site yet): an HTML page, so the overlay can show.
    let page = "<!doctype html><html><head><meta charset=\"utf-8\"><title>Not found</title></head>\
                <body><h1>Not found</h1></body></html>";
    (404, "404.html".to_string(), Some(page.as_bytes().to_vec()))
}

/// The bytes of a served file. Copied files are read from the site folder
/// now, so a saved stylesheet is served at once; one that resolves outside
/// the site folder (a symlink) is not served.
fn read(shared: &Shared, file: &str) -> Option<Vec<u8>> {
    let content = shared.files.read().ok()?.get(file).cloned()?;
    match content {
        FileContent::Bytes(bytes) => Some(bytes),
        FileContent::Copy(source) => {
            let source = if source.is_absolute() {
                source
            } else {
                shared.root.join(source)
            };
            let real = source.canonicalize().ok()?;
            if !real.starts_with(&shared.root) {
                return None;
            }
            std::fs::read(real).ok()
        }
    }
}

fn bytes_response(
    status: u16,
    file: &str,
    body: Vec<u8>,
    error: Option<&str>,
) -> Response<std::io::Cursor<Vec<u8>>> {
    // The type a CDN is told (deploy, `_headers`): what serve shows is
    // what readers will get.
    let kind = content_type(file);
    let body = if kind.starts_with("text/html") {
        reload::inject(&body, &reload::injection(error))
    } else {
        body
    };
    let mut response = Response::from_data(body).with_status_code(status);
    if let Some(h) = header("Content-Type", kind) {
        response.add_header(h);
    }
    // Edits must show on the next load, never from the browser's cache.
    if let Some(h) = header("Cache-Control", "no-store") {
        response.add_header(h);
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> HashMap<String, FileContent> {
        [
            "index.html",
            "en/index.html",
            "en/news/visit/index.html",
            "css/site.css",
            "en/404.html",
        ]
        .into_iter()
        .map(|p| (p.to_string(), FileContent::Bytes(Vec::new())))
        .collect()
    }

    #[test]
    fn pretty_urls_and_redirects() {
        let files = site();
        assert_eq!(resolve(&files, "/"), Lookup::File("index.html".into()));
        assert_eq!(
            resolve(&files, "/en/news/visit/"),
            Lookup::File("en/news/visit/index.html".into())
        );
        assert_eq!(
            resolve(&files, "/en/news/visit"),
            Lookup::Redirect("/en/news/visit/".into())
        );
        assert_eq!(
            resolve(&files, "/css/site.css"),
            Lookup::File("css/site.css".into())
        );
        assert_eq!(resolve(&files, "/%65n/"), Lookup::File("en/index.html".into()));
        assert_eq!(resolve(&files, "/en/missing/"), Lookup::NotFound);
    }

    #[test]
    fn traversal_is_not_found() {
        let files = site();
        for path in [
            "/../site.yaml",
            "/en/../index.html",
            "/%2e%2e/site.yaml",
            "/en/%2E%2E/index.html",
            "/..%2fsite.yaml",
            "/.%5c..%5csite.yaml",
            "/%ff",
        ] {
            assert_eq!(resolve(&files, path), Lookup::NotFound, "{path}");
        }
    }

    #[test]
    fn content_types_are_the_deployed_ones() {
        let kind = |file: &str| {
            let response = bytes_response(200, file, Vec::new(), None);
            let header = response
                .headers()
                .iter()
                .find(|h| h.field.equiv("Content-Type"))
                .map(|h| h.value.to_string());
            header.unwrap_or_default()
        };
        assert_eq!(kind("en/index.html"), "text/html; charset=utf-8");
        assert_eq!(kind("en/atom.xml"), "application/atom+xml");
        assert_eq!(kind("sitemap.xml"), "application/xml");
        assert_eq!(kind("a/B.PNG"), "image/png");
        assert_eq!(kind("README"), "application/octet-stream");
        for file in ["en/atom.xml", "style.xsl", "data.csv", "music.ogg"] {
            assert_eq!(kind(file), content_type(file), "{file}");
        }
    }
}
