//! Image operations as pure geometry: what part of the source to take and
//! what size to make it, computed from the source's (oriented) dimensions
//! only, so a build can name every output file without decoding anything.
//! Nothing here touches pixels or files.

use serde::{Deserialize, Serialize};

/// How an operation fits the source into the requested box.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Fit {
    /// Scale to the given width or height (or to fit both), keeping the ratio.
    Fit,
    /// Cover the box exactly: scale, then crop around the focal point.
    Fill,
    /// Cut the box out of the source at the focal point, without scaling.
    Crop,
}

impl Fit {
    pub fn parse(name: &str) -> Option<Fit> {
        match name {
            "fit" | "resize" | "scale" => Some(Fit::Fit),
            "fill" => Some(Fit::Fill),
            "crop" => Some(Fit::Crop),
            _ => None,
        }
    }
}

/// An encoded file type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Webp,
}

impl Format {
    pub fn parse(name: &str) -> Option<Format> {
        match name {
            "jpeg" | "jpg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::Webp => "webp",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
        }
    }
}

/// A focal point as fractions of the width and height (0.5, 0.5 is the centre).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Focus {
    pub x: f64,
    pub y: f64,
}

impl Focus {
    pub const CENTER: Focus = Focus { x: 0.5, y: 0.5 };

    /// `center`, `top`, `bottom-left`, … or two fractions `"0.3,0.2"`.
    pub fn parse(text: &str) -> Option<Focus> {
        let named = |x, y| Some(Focus { x, y });
        match text.trim() {
            "center" | "centre" => named(0.5, 0.5),
            "top" => named(0.5, 0.0),
            "bottom" => named(0.5, 1.0),
            "left" => named(0.0, 0.5),
            "right" => named(1.0, 0.5),
            "top-left" => named(0.0, 0.0),
            "top-right" => named(1.0, 0.0),
            "bottom-left" => named(0.0, 1.0),
            "bottom-right" => named(1.0, 1.0),
            other => {
                let (x, y) = other.split_once(',')?;
                let (x, y): (f64, f64) = (x.trim().parse().ok()?, y.trim().parse().ok()?);
                ((0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)).then_some(Focus { x, y })
            }
        }
    }
}

/// What a caller asks for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Operation {
    pub fit: Fit,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub focus: Focus,
    pub format: Format,
    pub quality: u8,
}

/// What will be done: the source rectangle to read and the output size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Plan {
    pub crop_x: u32,
    pub crop_y: u32,
    pub crop_width: u32,
    pub crop_height: u32,
    pub width: u32,
    pub height: u32,
}

impl Plan {
    /// Whether the plan is the source as it is (no crop, no scaling).
    pub fn is_identity(&self, source: (u32, u32)) -> bool {
        (self.crop_x, self.crop_y, self.crop_width, self.crop_height) == (0, 0, source.0, source.1)
            && (self.width, self.height) == source
    }
}

/// The plan for `op` on a source of `(width, height)`. Never upscales: a
/// box larger than the source gives the largest size the source allows with
/// the requested shape.
pub fn plan(op: &Operation, source: (u32, u32)) -> Result<Plan, String> {
    let (sw, sh) = (source.0.max(1), source.1.max(1));
    let whole = |width: u32, height: u32| Plan {
        crop_x: 0,
        crop_y: 0,
        crop_width: sw,
        crop_height: sh,
        width: width.max(1),
        height: height.max(1),
    };
    let scaled =
        |a: u32, num: u32, den: u32| ((f64::from(a) * f64::from(num) / f64::from(den)).round()) as u32;
    match (op.fit, op.width, op.height) {
        (_, Some(0), _) | (_, _, Some(0)) => Err("width and height must be at least 1".to_string()),
        (_, None, None) => Err("give a width, a height or both".to_string()),
        (Fit::Fit, Some(w), None) => {
            let w = w.min(sw);
            Ok(whole(w, scaled(sh, w, sw)))
        }
        (Fit::Fit, None, Some(h)) => {
            let h = h.min(sh);
            Ok(whole(scaled(sw, h, sh), h))
        }
        (Fit::Fit, Some(w), Some(h)) => {
            // The tighter side decides; never above the source.
            let ratio = (f64::from(w) / f64::from(sw))
                .min(f64::from(h) / f64::from(sh))
                .min(1.0);
            let out_w = (f64::from(sw) * ratio).round() as u32;
            let out_h = (f64::from(sh) * ratio).round() as u32;
            Ok(whole(out_w, out_h))
        }
        (Fit::Fill | Fit::Crop, None, _) | (Fit::Fill | Fit::Crop, _, None) => {
            Err("fill and crop need both a width and a height".to_string())
        }
        (Fit::Fill, Some(w), Some(h)) => {
            // The largest rectangle of the box's shape inside the source.
            let (crop_w, crop_h) = if u64::from(sw) * u64::from(h) > u64::from(sh) * u64::from(w) {
                (scaled(sh, w, h).clamp(1, sw), sh)
            } else {
                (sw, scaled(sw, h, w).clamp(1, sh))
            };
            let (out_w, out_h) = if w > crop_w { (crop_w, crop_h) } else { (w, h) };
            let (x, y) = place(op.focus, (sw, sh), (crop_w, crop_h));
            Ok(Plan {
                crop_x: x,
                crop_y: y,
                crop_width: crop_w,
                crop_height: crop_h,
                width: out_w,
                height: out_h,
            })
        }
        (Fit::Crop, Some(w), Some(h)) => {
            let (crop_w, crop_h) = (w.min(sw), h.min(sh));
            let (x, y) = place(op.focus, (sw, sh), (crop_w, crop_h));
            Ok(Plan {
                crop_x: x,
                crop_y: y,
                crop_width: crop_w,
                crop_height: crop_h,
                width: crop_w,
                height: crop_h,
            })
        }
    }
}

/// The top-left corner of a `crop` rectangle centred on the focal point as
/// far as the source's edges allow.
fn place(focus: Focus, source: (u32, u32), crop: (u32, u32)) -> (u32, u32) {
    let axis = |fraction: f64, size: u32, part: u32| {
        let centre = fraction * f64::from(size);
        let start = (centre - f64::from(part) / 2.0).round().max(0.0) as u32;
        start.min(size - part)
    };
    (axis(focus.x, source.0, crop.0), axis(focus.y, source.1, crop.1))
}

/// The widths of a responsive set: the configured ones below the source's
/// width, plus the source's width when it is below the largest configured
/// one. Never upscaled, never empty.
pub fn responsive_widths(configured: &[u32], source_width: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = configured.iter().map(|&w| w.min(source_width)).collect();
    widths.sort_unstable();
    widths.dedup();
    if widths.is_empty() {
        widths.push(source_width);
    }
    widths
}

#[cfg(test)]
mod tests {
    use super::*;

    fn op(fit: Fit, width: Option<u32>, height: Option<u32>) -> Operation {
        Operation {
            fit,
            width,
            height,
            focus: Focus::CENTER,
            format: Format::Jpeg,
            quality: 80,
        }
    }

    #[test]
    fn fit_keeps_the_ratio_and_never_upscales() {
        let p = plan(&op(Fit::Fit, Some(960), None), (3000, 2000)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((p.width, p.height), (960, 640));
        let p = plan(&op(Fit::Fit, Some(4000), None), (3000, 2000)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((p.width, p.height), (3000, 2000));
        let p = plan(&op(Fit::Fit, Some(500), Some(500)), (3000, 2000)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((p.width, p.height), (500, 333));
    }

    #[test]
    fn fill_crops_around_the_focal_point() {
        let mut o = op(Fit::Fill, Some(1200), Some(630));
        let p = plan(&o, (4000, 2000)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((p.width, p.height), (1200, 630));
        assert_eq!((p.crop_width, p.crop_height), (3810, 2000));
        assert_eq!(p.crop_x, 95);
        o.focus = Focus::parse("right").unwrap_or(Focus::CENTER);
        let p = plan(&o, (4000, 2000)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(p.crop_x + p.crop_width, 4000);
        // A small source is cropped to the shape but not enlarged.
        let p = plan(&op(Fit::Fill, Some(1200), Some(630)), (600, 600)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((p.width, p.height), (600, 315));
    }

    #[test]
    fn crop_cuts_without_scaling() {
        let mut o = op(Fit::Crop, Some(100), Some(50));
        o.focus = Focus { x: 0.0, y: 1.0 };
        let p = plan(&o, (400, 300)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!((p.crop_x, p.crop_y, p.width, p.height), (0, 250, 100, 50));
    }

    #[test]
    fn bad_requests_are_refused() {
        assert!(plan(&op(Fit::Fill, Some(100), None), (400, 300)).is_err());
        assert!(plan(&op(Fit::Fit, None, None), (400, 300)).is_err());
        assert!(plan(&op(Fit::Fit, Some(0), None), (400, 300)).is_err());
    }

    #[test]
    fn responsive_widths_are_capped_at_the_source() {
        assert_eq!(responsive_widths(&[480, 960, 1600], 1200), vec![480, 960, 1200]);
        assert_eq!(responsive_widths(&[480, 960, 1600], 300), vec![300]);
        assert_eq!(responsive_widths(&[480, 960, 1600], 4000), vec![480, 960, 1600]);
    }
}
