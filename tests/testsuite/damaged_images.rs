//! Damaged source images: a photo cut short (an interrupted upload or copy)
//! is an error at the page that uses it, naming both files, and nothing is
//! published — decoders would otherwise fill the missing rows with grey.

use crate::site_test::{SiteTest, code, vitrine_cmd};

/// A photo-like JPEG with enough detail that a third of it is mid-scan.
fn jpeg(width: u32, height: u32) -> Vec<u8> {
    let pixels: Vec<u8> = (0..width * height)
        .flat_map(|i| {
            let (x, y) = (i % width, i / width);
            [(x * 3 % 256) as u8, (y * 5 % 256) as u8, ((x ^ y) % 256) as u8]
        })
        .collect();
    let mut out = Vec::new();
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90);
    image::ImageEncoder::write_image(encoder, &pixels, width, height, image::ExtendedColorType::Rgb8)
        .expect("encode a JPEG");
    out
}

fn site_with_photo(bytes: &[u8]) -> SiteTest {
    let t = SiteTest::new("images-site")
        .write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
        .write(
            "content/trip/index.md",
            "---\ntitle: Trip\n---\nIntro.\n\nSee ![the bay at dawn](bay.jpg) here.\n",
        );
    std::fs::write(t.root.join("content/trip/bay.jpg"), bytes).expect("write the photo");
    t
}

#[test]
fn a_truncated_jpeg_is_an_error_at_the_page_naming_both_files() {
    let whole = jpeg(600, 400);
    // The whole photo builds: the check does not refuse good files.
    site_with_photo(&whole).build();

    let t = site_with_photo(&whole[..whole.len() / 3]);
    let output = vitrine_cmd(&["build"], &t.root);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(code(&output), 1, "a truncated photo fails the build:\n{stderr}");
    assert!(
        stderr.contains("content/trip/index.md:6:5"),
        "at the page's image:\n{stderr}"
    );
    assert!(
        stderr.contains("content/trip/bay.jpg"),
        "names the photo:\n{stderr}"
    );
    assert!(stderr.contains("truncated"), "says what is wrong:\n{stderr}");
    assert!(!t.root.join("public").exists(), "nothing is published");
}

#[test]
fn a_jpeg_missing_only_its_end_marker_is_an_error_too() {
    let whole = jpeg(300, 200);
    let t = site_with_photo(&whole[..whole.len() - 2]);
    let diagnostics = t.expect_error();
    let shown = crate::site_test::show(&diagnostics);
    assert!(
        shown.contains("content/trip/bay.jpg") && shown.contains("truncated"),
        "{shown}"
    );
}
