//! Scheduling CI can act on: `vitrine check --next-change` prints (RFC 3339)
//! the next time the built site will differ by itself — a scheduled page
//! going live, a page expiring, a notice starting or ending — and every
//! build writes it to `next-change.json`.

use chrono::{Duration, SecondsFormat, Utc};

use crate::notices::timely_site;
use crate::site_test::code;

/// A time `days` from now, as front matter writes it.
fn in_days(days: i64) -> String {
    (Utc::now() + Duration::days(days))
        .fixed_offset()
        .to_rfc3339_opts(SecondsFormat::Secs, false)
}

fn next_change_of(t: &crate::site_test::SiteTest) -> serde_json::Value {
    let json: serde_json::Value = serde_json::from_str(&t.read("next-change.json")).expect("JSON");
    json["next_change"].clone()
}

fn printed(t: &crate::site_test::SiteTest) -> String {
    let out = t.cmd(&["check", "--next-change"]);
    assert_eq!(code(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// The same instant, whatever offset it is written with.
fn same_time(a: &str, b: &str) -> bool {
    let parse = |s: &str| chrono::DateTime::parse_from_rfc3339(s).expect(s);
    parse(a) == parse(b)
}

#[test]
fn nothing_scheduled_is_null_and_no_output() {
    let t = timely_site().build();
    assert_eq!(next_change_of(&t), serde_json::Value::Null);
    assert_eq!(printed(&t), "");
}

#[test]
fn the_earliest_of_a_page_going_live_a_page_expiring_and_a_notice_is_reported() {
    let live = in_days(9);
    let expires = in_days(5);
    let notice_ends = in_days(3);
    let notice_starts = in_days(2);
    let t = timely_site().write(
        "content/culture/festival.md",
        &format!("---\ntitle: \"Lễ hội\"\ndate: {live}\n---\nSắp diễn ra.\n"),
    );
    let t = t.build();
    t.assert_missing("culture/festival/index.html");
    assert!(same_time(next_change_of(&t).as_str().expect("a time"), &live));
    assert!(same_time(&printed(&t), &live));

    let t = t
        .write(
            "content/culture/offer.md",
            &format!("---\ntitle: \"Ưu đãi\"\ndate: 2025-01-01\nexpiry_date: {expires}\n---\nƯu đãi.\n"),
        )
        .build();
    t.assert_exists("culture/offer/index.html");
    assert!(same_time(&printed(&t), &expires));

    let t = t
        .replace(
            "content/_notices/museum.md",
            "level: info",
            &format!("level: info\nends: {notice_ends}"),
        )
        .build();
    assert!(same_time(&printed(&t), &notice_ends));

    let t = t
        .write(
            "content/_notices/later.md",
            &format!("---\nlevel: warning\nstarts: {notice_starts}\n---\nSắp tới.\n"),
        )
        .build();
    assert!(same_time(
        next_change_of(&t).as_str().expect("a time"),
        &notice_starts
    ));
    assert!(
        !t.read("index.html").contains("Sắp tới."),
        "not shown before it starts"
    );
}

#[test]
fn drafts_are_not_scheduled_and_future_builds_only_wait_for_expiry() {
    let t = timely_site()
        .write(
            "content/culture/draft.md",
            &format!(
                "---\ntitle: \"Nháp\"\ndraft: true\ndate: {}\n---\nNháp.\n",
                in_days(1)
            ),
        )
        .build();
    assert_eq!(
        next_change_of(&t),
        serde_json::Value::Null,
        "a draft never goes live by itself"
    );
    let live = in_days(4);
    let t = t
        .write(
            "content/culture/festival.md",
            &format!("---\ntitle: \"Lễ hội\"\ndate: {live}\n---\nSắp diễn ra.\n"),
        )
        .future()
        .build();
    t.assert_exists("culture/festival/index.html");
    assert_eq!(
        next_change_of(&t),
        serde_json::Value::Null,
        "--future already shows it"
    );
}

#[test]
fn check_in_json_states_the_next_change() {
    let live = in_days(6);
    let t = timely_site().write(
        "content/culture/festival.md",
        &format!("---\ntitle: \"Lễ hội\"\ndate: {live}\n---\nSắp diễn ra.\n"),
    );
    let out = t.cmd(&["check", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert!(
        same_time(json["next_change"].as_str().expect("a time"), &live),
        "{json}"
    );
}
