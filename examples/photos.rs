//! Generates photo-like JPEGs for the image benchmark (bench/images.sh):
//! smooth colour fields with fine noise, so they compress like photographs
//! rather than like flat colour or pure noise.
//!
//! `cargo run --release --example photos -- DIR COUNT`

use std::path::PathBuf;

use image::{ImageEncoder, Rgb, RgbImage};
use rayon::prelude::*;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or("usage: photos DIR COUNT")?);
    let count: u32 = args.next().ok_or("usage: photos DIR COUNT")?.parse()?;
    std::fs::create_dir_all(&dir)?;
    (0..count)
        .into_par_iter()
        .try_for_each(|i| -> Result<(), String> {
            // 3 to 6 megapixels, landscape and portrait.
            let (w, h) = match i % 4 {
                0 => (2048, 1536),
                1 => (2400, 1600),
                2 => (3000, 2000),
                _ => (1836, 2754),
            };
            let seed = f64::from(i) * 0.37;
            let mut state = 0x9E37_79B9_u32.wrapping_mul(i + 1);
            let img = RgbImage::from_fn(w, h, |x, y| {
                let (fx, fy) = (f64::from(x) / f64::from(w), f64::from(y) / f64::from(h));
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                let noise = f64::from(state % 17) - 8.0;
                let channel = |k: f64| {
                    let v = 128.0
                        + 60.0 * ((fx * (3.0 + k) + seed).sin() * (fy * (2.0 + k) - seed).cos())
                        + 30.0 * ((fx * 40.0 + fy * 25.0 + k).sin())
                        + noise;
                    v.clamp(0.0, 255.0) as u8
                };
                Rgb([channel(0.0), channel(1.3), channel(2.1)])
            });
            let mut out = Vec::new();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 92)
                .write_image(img.as_raw(), w, h, image::ExtendedColorType::Rgb8)
                .map_err(|e| e.to_string())?;
            std::fs::write(dir.join(format!("photo-{i:03}.jpg")), out).map_err(|e| e.to_string())
        })?;
    Ok(())
}
