//! Whether a source file holds the whole picture. Decoders accept a JPEG cut
//! short without complaint and fill the missing rows with grey, so a damaged
//! upload would be published two-thirds grey; this walks the file's own
//! structure to its end marker instead. Decoding is left to `process`.

use super::plan::Format;

/// True when the file reaches its format's end: a JPEG's end-of-image
/// marker, a PNG's `IEND` chunk, a WebP's declared RIFF length.
pub fn is_complete(bytes: &[u8], format: Format) -> bool {
    match format {
        Format::Jpeg => jpeg_reaches_end(bytes),
        Format::Png => png_reaches_end(bytes),
        Format::Webp => webp_reaches_end(bytes),
    }
}

/// Walks the JPEG's segments (each with its length) and the entropy-coded
/// data after every start-of-scan (where `FF 00` and restart markers are
/// data) until the end-of-image marker `FF D9`.
fn jpeg_reaches_end(bytes: &[u8]) -> bool {
    if !bytes.starts_with(&[0xFF, 0xD8]) {
        return false;
    }
    let mut at = 2;
    loop {
        // A marker: one or more 0xFF fill bytes, then its code.
        if bytes.get(at) != Some(&0xFF) {
            return false;
        }
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let Some(&marker) = bytes.get(at) else {
            return false;
        };
        at += 1;
        match marker {
            0xD9 => return true,
            // Standalone markers carry no length.
            0x01 | 0xD0..=0xD7 => continue,
            _ => {}
        }
        let (Some(&high), Some(&low)) = (bytes.get(at), bytes.get(at + 1)) else {
            return false;
        };
        at += usize::from(u16::from_be_bytes([high, low]));
        if at > bytes.len() {
            return false;
        }
        if marker == 0xDA {
            match end_of_scan(bytes, at) {
                Some(next) => at = next,
                None => return false,
            }
        }
    }
}

/// The offset of the first real marker after a scan's entropy-coded data.
fn end_of_scan(bytes: &[u8], from: usize) -> Option<usize> {
    let mut at = from;
    loop {
        at += bytes.get(at..)?.iter().position(|&b| b == 0xFF)?;
        match bytes.get(at + 1)? {
            0x00 | 0xD0..=0xD7 | 0xFF => at += 1,
            _ => return Some(at),
        }
    }
}

/// Walks the PNG's chunks (length, type, data, CRC) to `IEND`.
fn png_reaches_end(bytes: &[u8]) -> bool {
    let mut at = 8;
    while let Some(header) = bytes.get(at..at + 8) {
        let length = u32::from_be_bytes([header[0], header[1], header[2], header[3]]);
        let Ok(length) = usize::try_from(length) else {
            return false;
        };
        if &header[4..8] == b"IEND" {
            return true;
        }
        at += 12 + length;
    }
    false
}

/// A WebP is a RIFF file whose header gives its length.
fn webp_reaches_end(bytes: &[u8]) -> bool {
    let Some(size) = bytes.get(4..8) else {
        return false;
    };
    let size = u32::from_le_bytes([size[0], size[1], size[2], size[3]]);
    usize::try_from(size).is_ok_and(|size| bytes.len() >= size.saturating_add(8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_jpeg_without_its_end_marker_is_incomplete() {
        let mut out = Vec::new();
        let pixels: Vec<u8> = (0..64 * 48 * 3).map(|i| (i * 7 % 251) as u8).collect();
        let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
        let written =
            image::ImageEncoder::write_image(encoder, &pixels, 64, 48, image::ExtendedColorType::Rgb8);
        assert!(written.is_ok());
        assert!(is_complete(&out, Format::Jpeg));
        // Bytes after the end marker (some cameras append a trailer) are fine.
        let mut trailer = out.clone();
        trailer.extend_from_slice(b"\0\0trailer");
        assert!(is_complete(&trailer, Format::Jpeg));
        for cut in [out.len() / 3, out.len() - 2, out.len() - 1, 3, 0] {
            assert!(!is_complete(&out[..cut], Format::Jpeg), "cut at {cut}");
        }
    }
}
