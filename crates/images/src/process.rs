//! Pixels: reading a source's header, decoding it under limits with its
//! EXIF orientation applied, cropping and resizing (fast_image_resize), and
//! encoding JPEG (jpeg-encoder), PNG (image crate) or lossy WebP (libwebp). Encoding from
//! raw pixels is what strips EXIF, GPS and every other metadata: nothing of
//! the source file but its pixels reaches a published file.

use std::io::Cursor;

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer, images::Image};
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader, Limits};
use serde::{Deserialize, Serialize};

use super::plan::{Format, Plan};

/// What a build knows about a source without decoding its pixels.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    /// Width and height as displayed (after EXIF orientation).
    pub width: u32,
    pub height: u32,
    pub format: Format,
    pub alpha: bool,
}

/// Why a source cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DecodeError {
    #[error("{0} is not a JPEG, PNG or WebP image")]
    Unsupported(String),
    #[error("the image is {width}×{height} pixels, more than the limit of {limit} megapixels")]
    TooLarge { width: u32, height: u32, limit: u64 },
    #[error("the image exceeds the decoder's limits ({0}); it may be a decompression bomb")]
    Limits(String),
    #[error("the image cannot be read: {0}")]
    Unreadable(String),
    #[error(
        "the file is truncated: it ends before the end of the picture (only part of it would be published)"
    )]
    Truncated,
}

/// The decoder's own guard against decompression bombs, besides our pixel
/// count check: no side above 30,000 pixels, at most 1 GiB allocated.
fn limits() -> Limits {
    let mut limits = Limits::default();
    limits.max_image_width = Some(30_000);
    limits.max_image_height = Some(30_000);
    limits.max_alloc = Some(1 << 30);
    limits
}

fn format_of(image_format: ImageFormat) -> Result<Format, DecodeError> {
    match image_format {
        ImageFormat::Jpeg => Ok(Format::Jpeg),
        ImageFormat::Png => Ok(Format::Png),
        ImageFormat::WebP => Ok(Format::Webp),
        other => Err(DecodeError::Unsupported(format!(
            "a {} file",
            other
                .extensions_str()
                .first()
                .unwrap_or(&"unknown")
                .to_uppercase()
        ))),
    }
}

fn unreadable(error: image::ImageError) -> DecodeError {
    match error {
        image::ImageError::Limits(e) => DecodeError::Limits(e.to_string()),
        other => DecodeError::Unreadable(other.to_string()),
    }
}

/// Opens a decoder on `bytes`, checks the format and the size, and returns
/// it with what the header says.
fn open(
    bytes: &[u8],
    max_pixels: u64,
) -> Result<(impl ImageDecoder + '_, SourceInfo, image::metadata::Orientation), DecodeError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| DecodeError::Unreadable(e.to_string()))?;
    let Some(image_format) = reader.format() else {
        return Err(DecodeError::Unsupported("this file".to_string()));
    };
    let format = format_of(image_format)?;
    reader.limits(limits());
    let mut decoder = reader.into_decoder().map_err(unreadable)?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > max_pixels {
        return Err(DecodeError::TooLarge {
            width,
            height,
            limit: max_pixels / 1_000_000,
        });
    }
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    let swaps = matches!(
        orientation,
        image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH
    );
    let info = SourceInfo {
        width: if swaps { height } else { width },
        height: if swaps { width } else { height },
        format,
        alpha: decoder.color_type().has_alpha(),
    };
    Ok((decoder, info, orientation))
}

/// The header facts of a source: no pixel is decoded.
/// A file cut short is refused here, before any page links to it.
pub fn inspect(bytes: &[u8], max_pixels: u64) -> Result<SourceInfo, DecodeError> {
    let info = open(bytes, max_pixels).map(|(_, info, _)| info)?;
    if !super::complete::is_complete(bytes, info.format) {
        return Err(DecodeError::Truncated);
    }
    Ok(info)
}

/// Decodes a source to 8-bit RGB or RGBA pixels, upright.
pub fn decode(bytes: &[u8], max_pixels: u64) -> Result<DynamicImage, DecodeError> {
    let (decoder, info, orientation) = open(bytes, max_pixels)?;
    let mut image = DynamicImage::from_decoder(decoder).map_err(unreadable)?;
    image.apply_orientation(orientation);
    Ok(if info.alpha {
        DynamicImage::ImageRgba8(image.into_rgba8())
    } else {
        DynamicImage::ImageRgb8(image.into_rgb8())
    })
}

/// Crops and resizes `image` as `plan` says.
pub fn apply(image: &DynamicImage, plan: &Plan) -> Result<DynamicImage, String> {
    if plan.is_identity((image.width(), image.height())) {
        return Ok(image.clone());
    }
    let pixel_type = if image.color().has_alpha() {
        fast_image_resize::PixelType::U8x4
    } else {
        fast_image_resize::PixelType::U8x3
    };
    let mut out = Image::new(plan.width, plan.height, pixel_type);
    let options = ResizeOptions::new()
        .resize_alg(ResizeAlg::Convolution(FilterType::Lanczos3))
        .crop(
            f64::from(plan.crop_x),
            f64::from(plan.crop_y),
            f64::from(plan.crop_width),
            f64::from(plan.crop_height),
        );
    Resizer::new()
        .resize(image, &mut out, &options)
        .map_err(|e| e.to_string())?;
    let buffer = out.into_vec();
    let made = if image.color().has_alpha() {
        image::RgbaImage::from_raw(plan.width, plan.height, buffer).map(DynamicImage::ImageRgba8)
    } else {
        image::RgbImage::from_raw(plan.width, plan.height, buffer).map(DynamicImage::ImageRgb8)
    };
    made.ok_or_else(|| "the resized buffer has the wrong size".to_string())
}

/// Encodes pixels; `quality` (1–100) applies to JPEG and WebP.
pub fn encode(image: &DynamicImage, format: Format, quality: u8) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    match format {
        Format::Jpeg => {
            // JPEG has no alpha: flatten onto white rather than black.
            let rgb = if image.color().has_alpha() {
                flatten_on_white(image)
            } else {
                image.to_rgb8()
            };
            // jpeg-encoder rather than the image crate's: SIMD, and progressive
            // with optimised Huffman tables, so files are smaller too.
            let too_big = || "JPEG is limited to 65,535 pixels a side".to_string();
            let width = u16::try_from(rgb.width()).map_err(|_| too_big())?;
            let height = u16::try_from(rgb.height()).map_err(|_| too_big())?;
            let mut encoder = jpeg_encoder::Encoder::new(&mut out, quality);
            encoder.set_progressive(true);
            encoder.set_optimized_huffman_tables(true);
            encoder
                .encode(rgb.as_raw(), width, height, jpeg_encoder::ColorType::Rgb)
                .map_err(|e| e.to_string())?;
        }
        Format::Png => {
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Best,
                image::codecs::png::FilterType::Adaptive,
            );
            image.write_with_encoder(encoder).map_err(|e| e.to_string())?;
        }
        Format::Webp => {
            let memory = if image.color().has_alpha() {
                let rgba = image.to_rgba8();
                webp::Encoder::from_rgba(rgba.as_raw(), image.width(), image.height())
                    .encode(f32::from(quality))
            } else {
                let rgb = image.to_rgb8();
                webp::Encoder::from_rgb(rgb.as_raw(), image.width(), image.height())
                    .encode(f32::from(quality))
            };
            out.extend_from_slice(&memory);
        }
    }
    Ok(out)
}

fn flatten_on_white(image: &DynamicImage) -> image::RgbImage {
    let rgba = image.to_rgba8();
    image::RgbImage::from_fn(rgba.width(), rgba.height(), |x, y| {
        let p = rgba.get_pixel(x, y).0;
        let a = u32::from(p[3]);
        let mix = |c: u8| ((u32::from(c) * a + 255 * (255 - a)) / 255) as u8;
        image::Rgb([mix(p[0]), mix(p[1]), mix(p[2])])
    })
}

/// The most common colour of the image (`#rrggbb`), for placeholders: the
/// average of the most populated bucket of a small thumbnail.
pub fn dominant_color(image: &DynamicImage) -> String {
    let thumb = image.thumbnail(64, 64).to_rgb8();
    let mut buckets: std::collections::BTreeMap<(u8, u8, u8), (u64, [u64; 3])> = Default::default();
    for p in thumb.pixels() {
        let key = (p[0] >> 5, p[1] >> 5, p[2] >> 5);
        let entry = buckets.entry(key).or_default();
        entry.0 += 1;
        for (sum, c) in entry.1.iter_mut().zip(p.0) {
            *sum += u64::from(c);
        }
    }
    let (count, sums) = buckets
        .values()
        .max_by_key(|(count, _)| *count)
        .copied()
        .unwrap_or((1, [0; 3]));
    let avg = |s: u64| s / count.max(1);
    format!("#{:02x}{:02x}{:02x}", avg(sums[0]), avg(sums[1]), avg(sums[2]))
}
