//! The intrinsic size of SVG images. SVGs are published as they are (there
//! are no pixels to resize), but their `<img>` needs `width` and `height`
//! as much as a photo's, so the page does not shift as they load.
//!
//! This module owns reading that size from the root `<svg>` (its `width`
//! and `height` in absolute units, else its `viewBox`) and deciding when a
//! file is too damaged to publish: not well-formed XML, cut short, or not
//! an SVG at all, which a browser would show as a broken image, just as it
//! would a truncated JPEG. An SVG that is fine but declares no usable size
//! (percentages, `em`, zero or absurd numbers) is published without
//! `width` and `height`: browsers draw it, so it is not an error. It must
//! not read files or write markup.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::process::DecodeError;

/// Larger sides are not believed: no page lays out a 65,536-pixel image,
/// and a size such as `1e30` must not reach the HTML.
const MAX_SIDE: f64 = 65_535.0;

/// The width and height, in CSS pixels, at which the SVG in `bytes` is
/// drawn by default; `None` when it declares none a browser would use.
///
/// Entities are never expanded (quick-xml resolves only the predefined
/// ones), so a DOCTYPE's entity bomb costs nothing: an attribute that uses
/// one is treated as absent.
pub fn intrinsic_size(bytes: &[u8]) -> Result<Option<(u32, u32)>, DecodeError> {
    // UTF-16 is valid XML this reader does not decode: publish the file
    // unsized rather than call it damaged.
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Ok(None);
    }
    // Only the root's attributes are read, and they are ASCII; a stray
    // byte elsewhere does not stop a browser drawing the rest.
    let text = String::from_utf8_lossy(bytes);
    let mut reader = Reader::from_str(&text);
    let mut depth = 0usize;
    let mut size = None;
    let mut seen_root = false;
    loop {
        let event = reader.read_event().map_err(|e| {
            DecodeError::Unreadable(format!(
                "it is not well-formed XML (at byte {}): {e}",
                reader.error_position()
            ))
        })?;
        let (element, opens) = match &event {
            Event::Start(e) => (e, true),
            Event::Empty(e) => (e, false),
            Event::End(_) => {
                depth = depth.saturating_sub(1);
                continue;
            }
            Event::Eof => break,
            _ => continue,
        };
        if depth == 0 {
            if seen_root {
                return Err(DecodeError::Unreadable(
                    "it is not well-formed XML: a second element follows the root `<svg>`".into(),
                ));
            }
            seen_root = true;
            size = root_size(element)?;
        }
        depth += usize::from(opens);
    }
    if !seen_root {
        return Err(DecodeError::Unreadable("it has no `<svg>` element".into()));
    }
    if depth > 0 {
        return Err(DecodeError::Truncated);
    }
    Ok(size)
}

/// The size the root element declares, or why it is not an SVG.
fn root_size(root: &BytesStart<'_>) -> Result<Option<(u32, u32)>, DecodeError> {
    let name = root.local_name();
    if name.as_ref() != "svg" {
        return Err(DecodeError::Unreadable(format!(
            "it is not an SVG image: its first element is `<{}>`",
            name.as_ref()
        )));
    }
    let (mut width, mut height, mut view_box) = (None, None, None);
    for attribute in root.attributes() {
        let attribute = attribute.map_err(|e| {
            DecodeError::Unreadable(format!("it is not well-formed XML: the `<svg>` element: {e}"))
        })?;
        // A value using an entity other than the predefined ones (`&a;`
        // from a DOCTYPE) is not expanded, so it is no size.
        let Ok(value) = attribute.normalized_value(XmlVersion::Implicit1_0) else {
            continue;
        };
        match attribute.key.as_ref() {
            "width" => width = length(&value),
            "height" => height = length(&value),
            "viewBox" => view_box = view_box_size(&value),
            _ => {}
        }
    }
    Ok(declared(width, height, view_box))
}

/// What a browser draws: both lengths when given; one length with the
/// `viewBox`'s proportions; else the `viewBox` itself.
fn declared(width: Option<f64>, height: Option<f64>, view_box: Option<(f64, f64)>) -> Option<(u32, u32)> {
    let (w, h) = match (width, height, view_box) {
        (Some(w), Some(h), _) => (w, h),
        (Some(w), None, Some((vw, vh))) => (w, w * vh / vw),
        (None, Some(h), Some((vw, vh))) => (h * vw / vh, h),
        (None, None, Some(size)) => size,
        _ => return None,
    };
    Some((side(w)?, side(h)?))
}

/// A side rounded to whole pixels, if it is one an `<img>` can carry.
fn side(value: f64) -> Option<u32> {
    let rounded = value.round();
    // Checked to be a whole number within u32 first: the cast is exact.
    (rounded.is_finite() && (1.0..=MAX_SIDE).contains(&rounded)).then_some(rounded as u32)
}

/// A length in CSS pixels: a number, unitless or in an absolute unit.
/// Relative units (`%`, `em`, `vw`…) depend on where the image is shown,
/// so they give `None`.
fn length(value: &str) -> Option<f64> {
    let value = value.trim();
    let split = value
        .find(|c: char| c.is_ascii_alphabetic() && c != 'e' && c != 'E')
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(split);
    // The CSS absolute units, in pixels (CSS Values 4, §6.2).
    let scale = match unit.to_ascii_lowercase().as_str() {
        "" | "px" => 1.0,
        "in" => 96.0,
        "cm" => 96.0 / 2.54,
        "mm" => 96.0 / 25.4,
        "q" => 96.0 / 101.6,
        "pt" => 96.0 / 72.0,
        "pc" => 16.0,
        _ => return None,
    };
    Some(number_of(number)? * scale)
}

/// A positive, finite SVG number; Rust's parser also takes `inf` and
/// `NaN`, which SVG does not.
fn number_of(text: &str) -> Option<f64> {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-'));
    let n: f64 = text.parse().ok().filter(|_| plain)?;
    (n.is_finite() && n > 0.0).then_some(n)
}

/// The width and height of a `viewBox` (`min-x min-y width height`,
/// separated by spaces or commas).
fn view_box_size(value: &str) -> Option<(f64, f64)> {
    let parts: Vec<&str> = value
        .split(|c: char| c.is_ascii_whitespace() || c == ',')
        .filter(|p| !p.is_empty())
        .collect();
    let [x, y, w, h] = parts[..] else {
        return None;
    };
    // The origin may be negative or zero; only the size matters here.
    x.parse::<f64>().ok().filter(|n| n.is_finite())?;
    y.parse::<f64>().ok().filter(|n| n.is_finite())?;
    Some((number_of(w)?, number_of(h)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn size(svg: &str) -> Result<Option<(u32, u32)>, DecodeError> {
        intrinsic_size(svg.as_bytes())
    }

    #[test]
    fn width_and_height_in_pixels_win() {
        let svg = r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="640px" height=" 360 " viewBox="0 0 10 10"><rect/></svg>"#;
        assert_eq!(size(svg), Ok(Some((640, 360))));
        assert_eq!(
            size(r#"<svg width="1.5e2" height="99.6"/>"#),
            Ok(Some((150, 100)))
        );
        assert_eq!(size(r#"<svg width="1in" height="72pt"/>"#), Ok(Some((96, 96))));
    }

    #[test]
    fn the_view_box_fills_in() {
        assert_eq!(
            size(r#"<svg viewBox="0 0 1200 630"></svg>"#),
            Ok(Some((1200, 630)))
        );
        assert_eq!(
            size(r#"<svg viewBox="-5,-5,40,20" width="80"/>"#),
            Ok(Some((80, 40)))
        );
        assert_eq!(
            size(r#"<svg viewBox="0 0 40 20" height="10"/>"#),
            Ok(Some((20, 10)))
        );
        assert_eq!(
            size(r#"<svg width="100%" height="100%" viewBox="0 0 4 3"/>"#),
            Ok(Some((4, 3)))
        );
    }

    #[test]
    fn no_usable_size_is_no_size() {
        for svg in [
            r#"<svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>"#,
            r#"<svg width="100%" height="50%"/>"#,
            r#"<svg width="10em" height="3em"/>"#,
            r#"<svg width="1e30" height="1e30"/>"#,
            r#"<svg width="99999999999999999999" height="10"/>"#,
            r#"<svg width="inf" height="NaN"/>"#,
            r#"<svg width="0" height="0"/>"#,
            r#"<svg width="-10" height="10"/>"#,
            r#"<svg viewBox="0 0 0 0"/>"#,
            r#"<svg viewBox="0 0 1e400 1"/>"#,
            r#"<svg viewBox="0 0 10"/>"#,
        ] {
            assert_eq!(size(svg), Ok(None), "{svg}");
        }
    }

    #[test]
    fn entities_are_never_expanded() {
        let mut bomb = String::from("<?xml version=\"1.0\"?><!DOCTYPE svg [<!ENTITY a0 \"1234567890\">");
        for i in 1..10 {
            let prev = format!("&a{};", i - 1);
            bomb.push_str(&format!("<!ENTITY a{i} \"{}\">", prev.repeat(10)));
        }
        bomb.push_str("]><svg width=\"&a9;\" height=\"10\" viewBox=\"0 0 &a9; 10\"><text>&a9;</text></svg>");
        assert_eq!(size(&bomb), Ok(None));
    }

    #[test]
    fn damaged_files_are_errors() {
        let cut = r#"<svg width="10" height="10"><g><rect width="1" height="1"/>"#;
        assert_eq!(size(cut), Err(DecodeError::Truncated));
        for svg in [
            "GIF89a not xml at all",
            "<svg width=\"10\" height=\"10\"><g></svg>",
            "<svg width=\"10\" width=\"20\"/>",
            "<html><body>not an image</body></html>",
            "<svg/><svg/>",
            "",
        ] {
            assert!(
                matches!(size(svg), Err(DecodeError::Unreadable(_))),
                "{svg}: {:?}",
                size(svg)
            );
        }
        assert_eq!(intrinsic_size(&[0xFF, 0xFE, b'<', 0]), Ok(None));
    }
}
