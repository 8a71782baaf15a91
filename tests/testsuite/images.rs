//! The image pipeline end to end: a small site is copied from
//! tests/fixtures/images-site into a temporary folder, photos are generated
//! by the test (no binary fixtures), and the built HTML and files are checked.

use std::fs;
use std::path::{Path, PathBuf};

use crate::site_test::{SiteTest, code};
use image::{ImageEncoder, Rgb, RgbImage};

type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

/// The fixture site with a home page in English.
fn images_site() -> SiteTest {
    SiteTest::new("images-site").write("content/_index.md", "---\ntitle: Home\n---\nWelcome.\n")
}

/// Runs the command line; returns the exit code and stderr.
fn cli(site: &SiteTest) -> (i32, String) {
    let out = site.cmd(&["build"]);
    (code(&out), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The output file a URL of the site points at.
fn file_of(site: &SiteTest, url: &str) -> Result<PathBuf> {
    let rel = url
        .strip_prefix("https://img.example.org/")
        .ok_or_else(|| format!("{url} is not a URL of the site"))?;
    Ok(site.out.join(rel))
}

fn cache_files(site: &SiteTest) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for e in fs::read_dir(site.root.join(".vitrine-cache/images"))? {
        names.push(e?.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}

/// A photo-like JPEG: left half red, right half blue, with a gradient so
/// it is not trivially compressible.
fn jpeg(width: u32, height: u32) -> Result<Vec<u8>> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        let shade = ((x + y) % 32) as u8;
        if x < width / 2 {
            Rgb([220 + shade, shade, shade])
        } else {
            Rgb([shade, shade, 220 + shade])
        }
    });
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90).write_image(
        img.as_raw(),
        width,
        height,
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(out)
}

fn png(width: u32, height: u32) -> Result<Vec<u8>> {
    let img = RgbImage::from_fn(width, height, |x, y| {
        Rgb([(x * 7 % 256) as u8, (y * 13 % 256) as u8, 90])
    });
    let mut out = Vec::new();
    image::codecs::png::PngEncoder::new(&mut out).write_image(
        img.as_raw(),
        width,
        height,
        image::ExtendedColorType::Rgb8,
    )?;
    Ok(out)
}

/// A JPEG with an EXIF block: orientation 6 (shown turned 90° clockwise)
/// and a GPS position, as phones write them.
fn jpeg_with_exif(width: u32, height: u32) -> Result<Vec<u8>> {
    let plain = jpeg(width, height)?;
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    tiff.extend([0, 2]); // IFD0: two entries
    tiff.extend([0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0]); // Orientation = 6
    tiff.extend([0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 38]); // GPS IFD at 38
    tiff.extend([0, 0, 0, 0]); // no next IFD
    tiff.extend([0, 1]); // GPS IFD: one entry
    tiff.extend([0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]); // GPSLatitudeRef = "N"
    tiff.extend([0, 0, 0, 0]);
    let mut app1 = b"Exif\0\0".to_vec();
    app1.extend(tiff);
    let len = u16::try_from(app1.len() + 2)?;
    let mut out = plain[..2].to_vec(); // SOI
    out.extend([0xFF, 0xE1]);
    out.extend(len.to_be_bytes());
    out.extend(app1);
    out.extend(&plain[2..]);
    Ok(out)
}

/// A PNG whose header claims `width`×`height`: a decompression bomb.
fn png_header_only(width: u32, height: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8], data: &[u8]) {
        out.extend(u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend(data);
        out.extend(&body);
        out.extend(crc32(&body).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    chunk(&mut out, b"IDAT", &[0x78, 0x9c, 0x03, 0x00]);
    chunk(&mut out, b"IEND", &[]);
    out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The value of `attr="…"` in the first tag of `html` starting with `tag`.
fn attr<'h>(html: &'h str, tag: &str, attr: &str) -> Option<&'h str> {
    let start = html.find(tag)?;
    let element = &html[start..start + html[start..].find('>')?];
    let key = format!(" {attr}=\"");
    let from = element.find(&key)? + key.len();
    Some(&element[from..from + element[from..].find('"')?])
}

/// `(url, width descriptor)` pairs of a srcset.
fn srcset(value: &str) -> Vec<(String, u32)> {
    value
        .split(", ")
        .filter_map(|item| {
            let (url, w) = item.rsplit_once(' ')?;
            Some((url.to_string(), w.strip_suffix('w')?.parse().ok()?))
        })
        .collect()
}

fn dimensions(path: &Path) -> Result<(u32, u32)> {
    Ok(image::image_dimensions(path)?)
}

#[test]
fn markdown_images_become_responsive_pictures() -> Result {
    let site = images_site();
    let site = site.write_bytes("content/harbour/photo.jpg", jpeg(2000, 1000)?);
    let site = site.write_bytes("content/harbour/small.png", png(300, 200)?);
    let site = site.write(
        "content/harbour/index.md",
        "---\ntitle: Harbour\n---\n![The harbour at dawn](photo.jpg \"Dawn\")\n\nText.\n\n![A small map](small.png)\n",
    );
    site.rebuild();
    let html = site.read("harbour/index.html");
    let first = &html[html.find("<picture>").ok_or("no picture")?..];
    let source_set = srcset(attr(first, "<source", "srcset").ok_or("no source srcset")?);
    assert_eq!(attr(first, "<source", "type"), Some("image/webp"));
    let img_set = srcset(attr(first, "<img", "srcset").ok_or("no img srcset")?);
    assert_eq!(
        img_set.iter().map(|s| s.1).collect::<Vec<_>>(),
        vec![480, 960, 1600]
    );
    assert_eq!(
        source_set.iter().map(|s| s.1).collect::<Vec<_>>(),
        vec![480, 960, 1600]
    );
    for (url, width) in img_set.iter().chain(&source_set) {
        let (w, h) = dimensions(&file_of(&site, url)?)?;
        assert_eq!(w, *width, "{url}");
        assert_eq!(h, width / 2, "{url} keeps the 2:1 ratio");
    }
    assert!(source_set.iter().all(|(u, _)| u.ends_with(".webp")));
    assert!(img_set.iter().all(|(u, _)| u.ends_with(".jpg")));
    assert_eq!(
        attr(first, "<source", "sizes"),
        Some("(min-width: 40rem) 40rem, 100vw")
    );
    assert_eq!(
        attr(first, "<img", "sizes"),
        Some("(min-width: 40rem) 40rem, 100vw")
    );
    // width/height are those of the file in `src`.
    let src = attr(first, "<img", "src").ok_or("no src")?;
    let (w, h) = dimensions(&file_of(&site, src)?)?;
    assert_eq!(attr(first, "<img", "width"), Some(w.to_string().as_str()));
    assert_eq!(attr(first, "<img", "height"), Some(h.to_string().as_str()));
    assert_eq!(attr(first, "<img", "alt"), Some("The harbour at dawn"));
    assert_eq!(attr(first, "<img", "title"), Some("Dawn"));
    // The first image of the page is not lazy; later ones are.
    assert_eq!(attr(first, "<img", "loading"), None);
    let second = &first[first.find("</picture>").ok_or("unclosed")?..];
    assert_eq!(attr(second, "<img", "loading"), Some("lazy"));
    assert_eq!(attr(second, "<img", "decoding"), Some("async"));
    // A PNG smaller than every width: one size, never upscaled, still PNG.
    let small = srcset(attr(second, "<img", "srcset").ok_or("no srcset")?);
    assert_eq!(small.iter().map(|s| s.1).collect::<Vec<_>>(), vec![300]);
    assert!(small[0].0.ends_with(".png"));
    assert_eq!(dimensions(&file_of(&site, &small[0].0)?)?, (300, 200));
    // The originals of processed bundle images are not published.
    assert!(!site.out.join("harbour/photo.jpg").exists());
    Ok(())
}

#[test]
fn covers_get_pictures_and_a_social_image() -> Result {
    let site = images_site();
    let site = site.write_bytes("static/brand.jpg", jpeg(800, 800)?);
    let site =
        site.edit_config(|yaml| yaml.replace("  quality: 80", "  quality: 80\n  social_default: /brand.jpg"));
    let site = site.write_bytes("content/visit/cover.jpg", jpeg(3000, 2000)?);
    let site = site.write(
        "content/visit/index.md",
        "---\ntitle: Visit\nimage: cover.jpg\nimage_alt: Two leaders shake hands\n---\n![Inline](cover.jpg)\n",
    );
    let site = site.write("content/plain.md", "---\ntitle: Plain\n---\nNo picture.\n");
    site.rebuild();
    let html = site.read("visit/index.html");
    let og = attr(&html, "<meta property=\"og:image\"", "content").ok_or("no og:image")?;
    assert_eq!(dimensions(&file_of(&site, og)?)?, (1200, 630));
    assert!(html.contains("<meta property=\"og:image:width\" content=\"1200\">"));
    let cover = &html[html.find("<figure class=\"cover\">").ok_or("no cover")?..];
    assert_eq!(attr(cover, "<img", "alt"), Some("Two leaders shake hands"));
    assert_eq!(
        attr(cover, "<img", "loading"),
        None,
        "the cover is the first image"
    );
    // With a cover shown first, the body's first image is lazy.
    let body = &html[html.find("<main>").ok_or("no main")?..];
    assert_eq!(attr(body, "<img", "loading"), Some("lazy"));
    // A page without a cover gets the site's default social image, cropped.
    let plain = site.read("plain/index.html");
    let og = attr(&plain, "<meta property=\"og:image\"", "content").ok_or("no default og:image")?;
    assert_eq!(dimensions(&file_of(&site, og)?)?, (800, 420));
    // Lists show covers lazily.
    let home = site.read("index.html");
    assert_eq!(attr(&home, "<img", "loading"), Some("lazy"));
    Ok(())
}

#[test]
fn exif_orientation_is_applied_and_metadata_stripped() -> Result {
    let site = images_site();
    let site = site.write_bytes("content/phone/shot.jpg", jpeg_with_exif(400, 200)?);
    let site = site.write(
        "content/phone/index.md",
        "---\ntitle: Phone\n---\n![A phone photo](shot.jpg)\n",
    );
    site.rebuild();
    let html = site.read("phone/index.html");
    assert_eq!(attr(&html, "<img", "width"), Some("200"));
    assert_eq!(attr(&html, "<img", "height"), Some("400"));
    let src = attr(&html, "<img", "src").ok_or("no src")?;
    let upright = image::open(file_of(&site, src)?)?.to_rgb8();
    assert_eq!(upright.dimensions(), (200, 400));
    // Turned clockwise, the red left half is now on top.
    let top = upright.get_pixel(100, 50);
    let bottom = upright.get_pixel(100, 350);
    assert!(top[0] > 150 && top[2] < 100, "top is red: {top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "bottom is blue: {bottom:?}");
    for entry in fs::read_dir(site.out.join("processed_images"))? {
        let bytes = fs::read(entry?.path())?;
        assert!(
            !bytes.windows(4).any(|w| w == b"Exif"),
            "EXIF (and GPS) data published"
        );
    }
    assert!(!site.out.join("phone/shot.jpg").exists());
    Ok(())
}

#[test]
fn a_second_build_reuses_the_cache_and_unused_entries_are_pruned() -> Result {
    // Every build renders (`--clean`): the image cache is what is tested,
    // not the build cache that would keep an unchanged output whole.
    let site = images_site().with_options(|o| o.clean = true);
    let site = site.write_bytes("content/a/one.jpg", jpeg(1000, 500)?);
    let site = site.write_bytes("content/a/two.jpg", jpeg(700, 700)?);
    let site = site.write(
        "content/a/index.md",
        "---\ntitle: A\n---\n![One](one.jpg)\n\n![Two](two.jpg)\n",
    );
    let first = site.rebuild();
    assert_eq!(first.images.decoded, 2);
    // one.jpg: 480, 960, 1000 in WebP and JPEG; two.jpg: 480, 700 in both.
    assert_eq!(first.images.processed, 10);
    assert_eq!(first.images.cached, 0);
    let second = site.rebuild();
    assert_eq!(
        (
            second.images.processed,
            second.images.decoded,
            second.images.cached
        ),
        (0, 0, 10)
    );
    let before = cache_files(&site)?;
    assert_eq!(before.len(), 12, "10 files and 2 source records: {before:?}");
    // two.jpg is no longer used: its files leave the cache.
    let site = site.write("content/a/index.md", "---\ntitle: A\n---\n![One](one.jpg)\n");
    let third = site.rebuild();
    assert_eq!((third.images.processed, third.images.cached), (0, 6));
    let after = cache_files(&site)?;
    assert_eq!(after.len(), 7, "{after:?}");
    assert!(after.iter().all(|n| before.contains(n)));
    // A changed photo (same name) is processed again.
    let site = site.write_bytes("content/a/one.jpg", jpeg(1100, 500)?);
    let fourth = site.rebuild();
    assert_eq!((fourth.images.decoded, fourth.images.processed), (1, 6));
    Ok(())
}

#[test]
fn output_is_identical_from_build_to_build() -> Result {
    let site = images_site();
    let site = site.write_bytes("content/a/one.jpg", jpeg(900, 600)?);
    let site = site.write("content/a/index.md", "---\ntitle: A\n---\n![One](one.jpg)\n");
    site.rebuild();
    let html = site.read("a/index.html");
    fs::remove_dir_all(site.root.join(".vitrine-cache"))?;
    let rebuilt = site.rebuild();
    assert_eq!(rebuilt.images.cached, 0, "the cache folder can be deleted");
    assert_eq!(site.read("a/index.html"), html);
    Ok(())
}

/// Each bad input fails the build with exit code 1 and an error at the line
/// that references the image.
#[test]
fn bad_images_are_errors_at_the_referencing_line() -> Result {
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "missing.jpg",
            Vec::new(),
            "image not found: content/bad/missing.jpg",
        ),
        (
            "truncated.png",
            png(300, 300)?[..400].to_vec(),
            "content/bad/truncated.png: the file is truncated",
        ),
        (
            "fake.jpg",
            b"this is not a picture".to_vec(),
            "this file is not a JPEG, PNG or WebP image",
        ),
        (
            "old.bmp",
            b"BM\x3a\0\0\0\0\0\0\0\x36\0\0\0\x28\0\0\0".to_vec(),
            "a BMP file is not a JPEG, PNG or WebP image",
        ),
        (
            "bomb.png",
            png_header_only(20_000, 20_000),
            "20000×20000 pixels, more than the limit of 100 megapixels",
        ),
        (
            "huge.png",
            png_header_only(100_000, 100_000),
            "exceeds the decoder's limits",
        ),
        ("../../../outside.jpg", Vec::new(), "outside the site folder"),
    ];
    for (name, bytes, message) in cases {
        let site = images_site();
        let site = if bytes.is_empty() {
            site
        } else {
            site.write_bytes(&format!("content/bad/{name}"), &bytes)
        };
        let site = site.write(
            "content/bad/index.md",
            &format!("---\ntitle: Bad\n---\nIntro.\n\nSee ![a picture]({name}) here.\n"),
        );
        let (code, stderr) = cli(&site);
        assert_eq!(code, 1, "{name}: {stderr}");
        assert!(stderr.contains(message), "{name}: {stderr}");
        assert!(stderr.contains("content/bad/index.md:6:5"), "{name}: {stderr}");
        assert!(!site.root.join("public").exists(), "{name}: nothing written");
    }
    Ok(())
}

#[test]
fn a_bad_cover_is_an_error_at_its_front_matter_line() -> Result {
    let site = images_site();
    let site = site.write(
        "content/c.md",
        "---\ntitle: C\nimage: nowhere.jpg\nimage_alt: x\n---\nText.\n",
    );
    let (code, stderr) = cli(&site);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("image not found: content/nowhere.jpg"),
        "{stderr}"
    );
    assert!(stderr.contains("content/c.md:3:8"), "{stderr}");
    Ok(())
}

#[test]
fn missing_alt_text_is_a_warning() -> Result {
    let site = images_site();
    let site = site.write_bytes("content/w/p.jpg", jpeg(100, 100)?);
    let site = site.write(
        "content/w/index.md",
        "---\ntitle: W\nimage: p.jpg\n---\n![](p.jpg)\n",
    );
    let report = site.rebuild();
    let warnings: Vec<String> = report.diagnostics.iter().map(|d| d.to_string()).collect();
    assert!(
        warnings
            .iter()
            .any(|w| w == "content/w/index.md:3:8: warning: the cover image has no alt text"),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w == "content/w/index.md:5:1: warning: the image `p.jpg` has no alt text"),
        "{warnings:?}"
    );
    // Reported once, not once per language the page falls back into.
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    let (code, _) = cli(&site);
    assert_eq!(code, 0);
    Ok(())
}

#[test]
fn template_functions_resize_and_describe_images() -> Result {
    let site = images_site();
    let site = site.write_bytes("static/img/red.png", {
        let img = RgbImage::from_pixel(500, 400, Rgb([200, 16, 32]));
        let mut out = Vec::new();
        image::codecs::png::PngEncoder::new(&mut out).write_image(
            img.as_raw(),
            500,
            400,
            image::ExtendedColorType::Rgb8,
        )?;
        out
    });
    let site = site.write(
        "themes/plain/templates/index.html",
        concat!(
            "{% set fill = resize_image(path=\"/img/red.png\", width=200, height=100, op=\"fill\", focus=\"top\", format=\"webp\") %}",
            "{% set fit = resize_image(path=\"img/red.png\", width=1000) %}",
            "{% set crop = resize_image(path=\"/img/red.png\", width=50, height=60, op=\"crop\", format=\"jpeg\") %}",
            "{% set meta = image_metadata(path=\"/img/red.png\") %}",
            "fill={{ fill.url }} {{ fill.width }}x{{ fill.height }} of {{ fill.orig_width }}x{{ fill.orig_height }}\n",
            "fit={{ fit.url }} {{ fit.width }}x{{ fit.height }}\n",
            "crop={{ crop.url }} {{ crop.width }}x{{ crop.height }}\n",
            "meta={{ meta.width }}x{{ meta.height }} {{ meta.format }} {{ meta.color }}\n",
        ),
    );
    site.rebuild();
    let home = site.read("index.html");
    let line = |key: &str| -> Result<Vec<String>> {
        let l = home
            .lines()
            .find(|l| l.starts_with(key))
            .ok_or(format!("no {key}"))?;
        Ok(l[key.len()..].split(' ').map(str::to_string).collect())
    };
    let fill = line("fill=")?;
    assert_eq!(fill[1..], ["200x100", "of", "500x400"]);
    assert!(fill[0].ends_with(".webp"));
    assert_eq!(dimensions(&file_of(&site, &fill[0])?)?, (200, 100));
    let fit = line("fit=")?;
    assert_eq!(fit[1], "500x400", "never upscaled");
    assert!(fit[0].ends_with(".png"), "a PNG stays a PNG by default");
    let crop = line("crop=")?;
    assert_eq!(dimensions(&file_of(&site, &crop[0])?)?, (50, 60));
    assert_eq!(line("meta=")?, ["500x400", "png", "#c81020"]);
    // A missing image in a template is an error at the template's line.
    let site = site.write(
        "themes/plain/templates/index.html",
        "ok\n{% set r = resize_image(path=\"/nope.jpg\", width=10) %}{{ r.url }}\n",
    );
    let (code, stderr) = cli(&site);
    assert_eq!(code, 1);
    assert!(stderr.contains("image not found: static/nope.jpg"), "{stderr}");
    assert!(stderr.contains("themes/plain/templates/index.html:2"), "{stderr}");
    Ok(())
}
