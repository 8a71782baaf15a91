//! XLIFF 1.2 and 2.0 for [`Exchange`]: one `<file>` per page, one unit per
//! segment. Paired placeholders are `<g>` (1.2) and `<pc>` (2.0), single ones
//! `<ph>`; 1.2 keeps the Markdown they stand for inside `<ph>`, 2.0 in
//! `<originalData>`. The page's source version rides in `build-num` (1.2) or
//! a metadata entry (2.0). Reading accepts what CAT tools turn these into
//! (`<x/>`, `<bpt>`/`<ept>`, `<sc>`/`<ec>`, `<mrk>`).

use std::fmt::Write as _;

use quick_xml::escape::{escape, resolve_predefined_entity};
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use super::{Exchange, PageWork, ParseError, Piece, UnitState, WorkUnit};

const NS_12: &str = "urn:oasis:names:tc:xliff:document:1.2";
const NS_20: &str = "urn:oasis:names:tc:xliff:document:2.0";
const NS_MDA: &str = "urn:oasis:names:tc:xliff:metadata:2.0";

/// XLIFF 1.2.
pub fn write_12(ex: &Exchange) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<xliff version=\"1.2\" xmlns=\"{NS_12}\">");
    for page in &ex.pages {
        let _ = writeln!(
            out,
            "  <file original=\"{}\" source-language=\"{}\" target-language=\"{}\" datatype=\"x-markdown\" build-num=\"{}\" product-name=\"vitrine\">",
            escape(&page.source_file),
            escape(&ex.source_language),
            escape(&ex.target_language),
            escape(&page.source_hash)
        );
        let _ = writeln!(
            out,
            "    <header>\n      <note from=\"vitrine\">Page {} (section: {})</note>\n    </header>\n    <body>",
            escape(&page.url),
            escape(section_name(&page.section))
        );
        for unit in &page.units {
            write_unit_12(&mut out, page, unit);
        }
        out.push_str("    </body>\n  </file>\n");
    }
    out.push_str("</xliff>\n");
    out
}

fn write_unit_12(out: &mut String, page: &PageWork, unit: &WorkUnit) {
    let _ = writeln!(
        out,
        "      <trans-unit id=\"{id}\" resname=\"{id}\" restype=\"x-{}\" xml:space=\"preserve\">",
        escape(unit.kind.replace([' ', ':'], "-")),
        id = escape(&unit.id)
    );
    let _ = writeln!(out, "        <source>{}</source>", inline_12(&unit.source, unit));
    if let Some(target) = &unit.target {
        let (state, qualifier) = match unit.state {
            UnitState::Reviewed => ("signed-off", ""),
            UnitState::Machine => ("needs-review-translation", " state-qualifier=\"mt-suggestion\""),
            _ => ("translated", ""),
        };
        let qualifier = if unit.prefilled {
            " state-qualifier=\"id-match\""
        } else {
            qualifier
        };
        let _ = writeln!(
            out,
            "        <target state=\"{state}\"{qualifier}>{}</target>",
            inline_12(target, unit)
        );
    }
    let _ = writeln!(
        out,
        "        <context-group purpose=\"location\"><context context-type=\"sourcefile\">{}</context><context context-type=\"x-url\">{}</context></context-group>",
        escape(&page.source_file),
        escape(&page.url)
    );
    for note in notes(page, unit) {
        let _ = writeln!(out, "        <note from=\"vitrine\">{}</note>", escape(&note));
    }
    out.push_str("      </trans-unit>\n");
}

fn inline_12(pieces: &[Piece], unit: &WorkUnit) -> String {
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(&escape(t)),
            Piece::Ph(id) => {
                let raw = unit.markup.get(id).map_or("", |m| m.0.as_str());
                let _ = write!(out, "<ph id=\"{id}\">{}</ph>", escape(raw));
            }
            Piece::Open(id) => {
                let raw = unit.markup.get(id).map_or("", |m| m.0.as_str());
                let _ = write!(out, "<g id=\"{id}\" ctype=\"{}\">", ctype(raw));
            }
            Piece::Close(_) => out.push_str("</g>"),
        }
    }
    out
}

/// XLIFF 1.2's name for what a pair of marks does.
fn ctype(open: &str) -> &'static str {
    match open {
        "**" | "__" => "bold",
        "*" | "_" => "italic",
        "[" => "link",
        "![" => "x-image",
        _ => "x-markdown",
    }
}

fn section_name(section: &str) -> &str {
    if section.is_empty() { "home" } else { section }
}

/// The notes of a unit: what it is, where it sits, and a word on pre-fills.
fn notes(page: &PageWork, unit: &WorkUnit) -> Vec<String> {
    let mut notes = vec![match &unit.heading {
        Some(h) => format!("{} under the heading “{h}”", unit.kind),
        None => unit.kind.clone(),
    }];
    if unit.prefilled {
        notes.push("Unchanged since the last translation: the target is the current translation".into());
    }
    if !unit.markup.is_empty() {
        let marks: Vec<String> = unit
            .markup
            .iter()
            .map(|(id, (open, close))| match close {
                Some(close) => format!("{id}: {open}…{close}"),
                None => format!("{id}: {open}"),
            })
            .collect();
        notes.push(format!("Placeholders (keep each once): {}", marks.join("; ")));
    }
    let _ = page;
    notes
}

/// XLIFF 2.0.
pub fn write_20(ex: &Exchange) -> String {
    let mut out = String::new();
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<xliff xmlns=\"{NS_20}\" xmlns:mda=\"{NS_MDA}\" version=\"2.0\" srcLang=\"{}\" trgLang=\"{}\">",
        escape(&ex.source_language),
        escape(&ex.target_language)
    );
    for (n, page) in ex.pages.iter().enumerate() {
        let _ = writeln!(
            out,
            "  <file id=\"f{}\" original=\"{}\">\n    <mda:metadata>\n      <mda:metaGroup category=\"vitrine\">\n        <mda:meta type=\"source-hash\">{}</mda:meta>\n        <mda:meta type=\"url\">{}</mda:meta>\n        <mda:meta type=\"section\">{}</mda:meta>\n      </mda:metaGroup>\n    </mda:metadata>",
            n + 1,
            escape(&page.source_file),
            escape(&page.source_hash),
            escape(&page.url),
            escape(&page.section)
        );
        for unit in &page.units {
            write_unit_20(&mut out, page, unit);
        }
        out.push_str("  </file>\n");
    }
    out.push_str("</xliff>\n");
    out
}

fn write_unit_20(out: &mut String, page: &PageWork, unit: &WorkUnit) {
    let _ = writeln!(
        out,
        "    <unit id=\"{id}\" name=\"{id}\">\n      <notes>",
        id = escape(&unit.id)
    );
    let _ = writeln!(
        out,
        "        <note category=\"location\">{} {}</note>",
        escape(&page.source_file),
        escape(&page.url)
    );
    for note in notes(page, unit) {
        let _ = writeln!(out, "        <note category=\"context\">{}</note>", escape(&note));
    }
    out.push_str("      </notes>\n");
    if !unit.markup.is_empty() {
        out.push_str("      <originalData>\n");
        for (id, (open, close)) in &unit.markup {
            match close {
                Some(close) => {
                    let _ = writeln!(
                        out,
                        "        <data id=\"d{id}s\">{}</data>\n        <data id=\"d{id}e\">{}</data>",
                        escape(open),
                        escape(close)
                    );
                }
                None => {
                    let _ = writeln!(out, "        <data id=\"d{id}\">{}</data>", escape(open));
                }
            }
        }
        out.push_str("      </originalData>\n");
    }
    let (state, sub) = match (&unit.target, unit.state) {
        (None, _) | (_, UnitState::New) => ("initial", ""),
        (Some(_), UnitState::Reviewed) => ("reviewed", ""),
        (Some(_), UnitState::Machine) => ("translated", " subState=\"vitrine:machine\""),
        (Some(_), UnitState::Translated) => ("translated", ""),
    };
    let sub = if unit.prefilled && unit.target.is_some() {
        " subState=\"vitrine:unchanged\""
    } else {
        sub
    };
    let _ = writeln!(out, "      <segment state=\"{state}\"{sub}>");
    let _ = writeln!(
        out,
        "        <source xml:space=\"preserve\">{}</source>",
        inline_20(&unit.source)
    );
    if let Some(target) = &unit.target {
        let _ = writeln!(
            out,
            "        <target xml:space=\"preserve\">{}</target>",
            inline_20(target)
        );
    }
    out.push_str("      </segment>\n    </unit>\n");
}

fn inline_20(pieces: &[Piece]) -> String {
    let mut out = String::new();
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(&escape(t)),
            Piece::Ph(id) => {
                let _ = write!(
                    out,
                    "<ph id=\"{id}\" dataRef=\"d{id}\" canCopy=\"no\" canDelete=\"no\"/>"
                );
            }
            Piece::Open(id) => {
                let _ = write!(
                    out,
                    "<pc id=\"{id}\" dataRefStart=\"d{id}s\" dataRefEnd=\"d{id}e\" canCopy=\"no\" canDelete=\"no\">"
                );
            }
            Piece::Close(_) => out.push_str("</pc>"),
        }
    }
    out
}

/// Where the reader is inside a file.
#[derive(Default)]
struct State {
    version: Option<u8>,
    ex: Option<Exchange>,
    page: Option<PageWork>,
    unit: Option<WorkUnit>,
    /// Inside `<source>` / `<target>`: the pieces read so far.
    content: Option<(bool, Vec<Piece>)>,
    /// Inside an element whose text is not the translation (`<ph>`, `<bpt>`, notes…).
    skip: usize,
    /// Open pairs in the content, to close `</g>`/`</pc>`.
    open: Vec<Option<u32>>,
    meta_type: Option<String>,
    meta_text: String,
    /// 2.0: `state`/`subState` of the segment.
    segment_state: Option<(String, String)>,
    /// 1.2: `state`/`state-qualifier` of the target.
    target_state: Option<(String, String)>,
}

/// Reads XLIFF 1.2 or 2.x.
pub fn parse(text: &str) -> Result<Exchange, ParseError> {
    let mut reader = Reader::from_str(text);
    reader.config_mut().trim_text(false);
    let mut st = State::default();
    loop {
        let at = usize::try_from(reader.buffer_position()).unwrap_or(0);
        let event = reader.read_event().map_err(|e| {
            let pos = usize::try_from(reader.error_position()).unwrap_or(at);
            ParseError::at(text, pos, format!("malformed XML: {e}"))
        })?;
        let err = |m: String| ParseError::at(text, at, m);
        match event {
            Event::Start(e) => start(&mut st, &e, false).map_err(err)?,
            Event::Empty(e) => {
                start(&mut st, &e, true).map_err(err)?;
                end(&mut st, e.local_name().as_ref()).map_err(err)?;
            }
            Event::End(e) => end(&mut st, e.local_name().as_ref()).map_err(err)?,
            Event::Text(t) => add_text(&mut st, &t.xml10_content()),
            Event::CData(t) => add_text(&mut st, &t.into_inner()),
            Event::GeneralRef(r) => {
                let resolved = match r.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    _ => resolve_predefined_entity(&r)
                        .map(str::to_string)
                        .ok_or_else(|| err(format!("unknown entity `&{};`", &*r)))?,
                };
                add_text(&mut st, &resolved);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    st.ex
        .ok_or_else(|| ParseError::at(text, 0, "this is not an XLIFF file (no <xliff> element)"))
}

fn attr(e: &BytesStart, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.as_ref() == name || a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

fn placeholder_id(e: &BytesStart, name: &str, unit: &str) -> Result<u32, String> {
    let raw = attr(e, name).unwrap_or_default();
    raw.trim().parse().map_err(|_| {
        format!("unit `{unit}`: the placeholder id `{raw}` is not one of this file's (the source's marks are numbered)")
    })
}

fn start(st: &mut State, e: &BytesStart, empty: bool) -> Result<(), String> {
    let name = e.local_name().as_ref().to_string();
    if st.skip > 0 {
        if !empty {
            st.skip += 1;
        }
        return Ok(());
    }
    if let Some((_, pieces)) = &mut st.content {
        let unit = st.unit.as_ref().map_or("", |u| u.id.as_str()).to_string();
        match name.as_str() {
            "g" | "pc" => {
                let id = placeholder_id(e, "id", &unit)?;
                // An empty `<g id="1"/>` is closed by the caller's `end`.
                pieces.push(Piece::Open(id));
                st.open.push(Some(id));
            }
            "ph" | "x" => {
                pieces.push(Piece::Ph(placeholder_id(e, "id", &unit)?));
                if !empty {
                    st.skip = 1;
                }
            }
            "bpt" | "sc" | "bx" => {
                pieces.push(Piece::Open(placeholder_id(e, "id", &unit)?));
                if !empty {
                    st.skip = 1;
                }
            }
            "ept" | "ec" | "ex" => {
                let key = if name == "ec" { "startRef" } else { "id" };
                let key = if attr(e, key).is_some() { key } else { "rid" };
                pieces.push(Piece::Close(placeholder_id(e, key, &unit)?));
                if !empty {
                    st.skip = 1;
                }
            }
            // Annotations (`<mrk>`, `<sm>`) are transparent: their text counts.
            _ => st.open.push(None),
        }
        return Ok(());
    }
    match name.as_str() {
        "xliff" => {
            let version = attr(e, "version").unwrap_or_default();
            st.version = Some(if version.starts_with('2') { 2 } else { 1 });
            st.ex = Some(Exchange {
                source_language: attr(e, "srcLang").unwrap_or_default(),
                target_language: attr(e, "trgLang").unwrap_or_default(),
                pages: Vec::new(),
            });
        }
        "file" => {
            let ex = st.ex.as_mut().ok_or("<file> outside <xliff>")?;
            if st.version == Some(1) {
                ex.source_language = attr(e, "source-language").unwrap_or_default();
                ex.target_language = attr(e, "target-language").unwrap_or_default();
            }
            st.page = Some(PageWork {
                source_file: attr(e, "original").unwrap_or_default(),
                source_hash: attr(e, "build-num").unwrap_or_default(),
                url: String::new(),
                section: String::new(),
                units: Vec::new(),
            });
        }
        "meta" => st.meta_type = attr(e, "type"),
        "trans-unit" | "unit" => {
            if st.page.is_none() {
                return Err(format!("<{name}> outside <file>"));
            }
            st.unit = Some(WorkUnit {
                id: attr(e, "id").ok_or(format!("a <{name}> has no id"))?,
                source: Vec::new(),
                target: None,
                state: UnitState::New,
                kind: String::new(),
                heading: None,
                prefilled: false,
                markup: Default::default(),
            });
        }
        "segment" => {
            st.segment_state = Some((
                attr(e, "state").unwrap_or_default(),
                attr(e, "subState").unwrap_or_default(),
            ));
        }
        "source" | "target" if st.unit.is_some() => {
            let is_target = name == "target";
            if is_target {
                st.target_state = Some((
                    attr(e, "state").unwrap_or_default(),
                    attr(e, "state-qualifier").unwrap_or_default(),
                ));
            }
            st.content = Some((is_target, Vec::new()));
            st.open.clear();
        }
        // Text elsewhere (notes, alt-trans, context) is not the unit's.
        "note" | "alt-trans" | "context-group" | "originalData" | "notes" | "header" if !empty => st.skip = 1,
        _ => {}
    }
    Ok(())
}

fn end(st: &mut State, name: &str) -> Result<(), String> {
    if st.skip > 0 {
        st.skip -= 1;
        return Ok(());
    }
    if let Some((is_target, pieces)) = &mut st.content {
        match name {
            "source" | "target" => {
                let (is_target, pieces) = (*is_target, std::mem::take(pieces));
                st.content = None;
                if let Some(unit) = &mut st.unit {
                    if is_target {
                        unit.target = Some(pieces);
                    } else {
                        unit.source = pieces;
                    }
                }
            }
            // Single marks were read whole by `start`.
            "ph" | "x" | "bpt" | "ept" | "sc" | "ec" | "bx" | "ex" => {}
            _ => {
                if let Some(Some(id)) = st.open.pop() {
                    pieces.push(Piece::Close(id));
                }
            }
        }
        return Ok(());
    }
    match name {
        "meta" => {
            if let (Some(kind), Some(page)) = (st.meta_type.take(), &mut st.page) {
                let value = std::mem::take(&mut st.meta_text);
                match kind.as_str() {
                    "source-hash" => page.source_hash = value,
                    "url" => page.url = value,
                    "section" => page.section = value,
                    _ => {}
                }
            }
            st.meta_text.clear();
        }
        "trans-unit" | "unit" => {
            if let (Some(mut unit), Some(page)) = (st.unit.take(), &mut st.page) {
                unit.state = unit_state(st.version, st.segment_state.take(), st.target_state.take(), &unit);
                page.units.push(unit);
            }
        }
        "file" => {
            if let (Some(page), Some(ex)) = (st.page.take(), &mut st.ex) {
                ex.pages.push(page);
            }
        }
        _ => {}
    }
    Ok(())
}

fn add_text(st: &mut State, text: &str) {
    if st.skip > 0 {
        return;
    }
    if let Some((_, pieces)) = &mut st.content {
        super::pieces::push_text(pieces, text);
    } else if st.meta_type.is_some() {
        st.meta_text.push_str(text);
    }
}

/// A unit's state from the attributes CAT tools set.
fn unit_state(
    version: Option<u8>,
    segment: Option<(String, String)>,
    target: Option<(String, String)>,
    unit: &WorkUnit,
) -> UnitState {
    let translated = unit.target.as_ref().is_some_and(|t| {
        t.iter()
            .any(|p| !matches!(p, Piece::Text(s) if s.trim().is_empty()))
    });
    if !translated {
        return UnitState::New;
    }
    let (state, detail) = if version == Some(2) {
        segment.unwrap_or_default()
    } else {
        target.unwrap_or_default()
    };
    let detail = detail.to_ascii_lowercase();
    if detail.contains("mt") || detail.contains("machine") {
        UnitState::Machine
    } else if matches!(state.as_str(), "signed-off" | "final" | "reviewed") {
        UnitState::Reviewed
    } else {
        UnitState::Translated
    }
}
