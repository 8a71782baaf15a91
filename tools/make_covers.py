#!/usr/bin/env python3
"""Draws the sample portal's cover pictures (static/images/covers/*.svg).

Each cover is a flat illustration made of simple shapes, drawn for this
project and dedicated to the public domain (CC0 1.0). Run from the site root:
    python3 tools/make_covers.py
"""
import math
import pathlib

W, H = 1200, 630
OUT = pathlib.Path("static/images/covers")

def svg(body, sky, title):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img">'
            f'<title>{title}</title><rect width="{W}" height="{H}" fill="{sky}"/>{body}</svg>\n')

def mountains(colors, base=H, peaks=5, seed=1):
    out = []
    for layer, color in enumerate(colors):
        pts = [(0, base)]
        n = peaks + layer
        for i in range(n + 1):
            x = i * W / n
            y = base - 180 - 120 * ((math.sin(i * 1.7 + seed + layer) + 1) / 2) + layer * 70
            pts.append((x, y))
        pts.append((W, base))
        out.append('<polygon fill="%s" points="%s"/>' % (color, " ".join(f"{x:.0f},{y:.0f}" for x, y in pts)))
    return "".join(out)

def waves(y0, color, rows=4, amp=12):
    out = []
    for r in range(rows):
        y = y0 + r * 34
        d = f"M0 {y}" + "".join(f" q 50 {-amp} 100 0 t 100 0" for _ in range(W // 200 + 1))
        out.append(f'<path d="{d}" fill="none" stroke="{color}" stroke-width="6" opacity="{0.9 - r * 0.18:.2f}"/>')
    return "".join(out)

def sun(x, y, r, color):
    return f'<circle cx="{x}" cy="{y}" r="{r}" fill="{color}"/>'

def drum(cx, cy, r, color, bg):
    rings = "".join(f'<circle cx="{cx}" cy="{cy}" r="{r - i * r // 7}" fill="none" stroke="{color}" stroke-width="5"/>' for i in range(6))
    star = " ".join(f"{cx + (r // 5 if i % 2 else r // 12) * math.cos(i * math.pi / 7):.0f},{cy + (r // 5 if i % 2 else r // 12) * math.sin(i * math.pi / 7):.0f}" for i in range(28))
    return f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="{bg}"/>{rings}<polygon points="{star}" fill="{color}"/>'

def lantern(x, y, color):
    return (f'<line x1="{x}" y1="0" x2="{x}" y2="{y - 60}" stroke="#5b2a00" stroke-width="4"/>'
            f'<ellipse cx="{x}" cy="{y}" rx="48" ry="62" fill="{color}"/>'
            f'<rect x="{x - 22}" y="{y - 70}" width="44" height="12" fill="#5b2a00"/>'
            f'<rect x="{x - 22}" y="{y + 58}" width="44" height="12" fill="#5b2a00"/>'
            f'<line x1="{x}" y1="{y + 70}" x2="{x}" y2="{y + 110}" stroke="{color}" stroke-width="6"/>')

def gate(cx, base, color, roof):
    return (f'<rect x="{cx - 260}" y="{base - 200}" width="520" height="200" fill="{color}"/>'
            f'<path d="M{cx - 70} {base} v-110 a70 70 0 0 1 140 0 v110z" fill="#2b1a10"/>'
            f'<polygon points="{cx - 300},{base - 200} {cx + 300},{base - 200} {cx + 230},{base - 260} {cx - 230},{base - 260}" fill="{roof}"/>'
            f'<rect x="{cx - 140}" y="{base - 330}" width="280" height="70" fill="{color}"/>'
            f'<polygon points="{cx - 180},{base - 330} {cx + 180},{base - 330} {cx + 130},{base - 380} {cx - 130},{base - 380}" fill="{roof}"/>')

def terraces(color_a, color_b):
    out = []
    for i in range(9):
        y = 230 + i * 48
        out.append(f'<path d="M0 {y} C 300 {y - 60}, 700 {y + 50}, {W} {y - 30} V {H} H 0 Z" fill="{color_a if i % 2 else color_b}"/>')
    return "".join(out)

def bowl(cx, cy, color, broth):
    steam = "".join(f'<path d="M{cx - 90 + i * 90} {cy - 120} c -30 -40 30 -60 0 -110" fill="none" stroke="#ffffff" stroke-width="8" opacity=".7"/>' for i in range(3))
    return (steam + f'<ellipse cx="{cx}" cy="{cy}" rx="300" ry="60" fill="{broth}"/>'
            f'<path d="M{cx - 300} {cy} a300 230 0 0 0 600 0z" fill="{color}"/>'
            f'<line x1="{cx + 120}" y1="{cy - 40}" x2="{cx + 380}" y2="{cy - 300}" stroke="#7a4a1d" stroke-width="12"/>'
            f'<line x1="{cx + 150}" y1="{cy - 30}" x2="{cx + 420}" y2="{cy - 270}" stroke="#7a4a1d" stroke-width="12"/>')

def karsts(color, water):
    out = [f'<rect y="430" width="{W}" height="200" fill="{water}"/>']
    for i, (x, h, w) in enumerate([(120, 300, 140), (330, 380, 170), (560, 260, 120), (760, 420, 190), (1000, 320, 150)]):
        out.append(f'<path d="M{x - w} 440 C {x - w} {440 - h}, {x - w // 3} {430 - h}, {x} {440 - h} C {x + w // 3} {430 - h}, {x + w} {440 - h}, {x + w} 440 Z" fill="{color}" opacity="{0.75 + 0.05 * i:.2f}"/>')
    out.append(f'<path d="M780 520 h180 l-30 30 h-120 z" fill="#6b3a1a"/><polygon points="870,520 870,420 950,505" fill="#d98b2b"/>')
    return "".join(out)

def scroll(color, seal):
    lines = "".join(f'<rect x="420" y="{180 + i * 40}" width="{360 - (i % 3) * 60}" height="12" rx="6" fill="#8a7a5a"/>' for i in range(8))
    return (f'<rect x="360" y="110" width="480" height="430" rx="8" fill="{color}"/>' + lines +
            f'<circle cx="760" cy="480" r="46" fill="{seal}"/><circle cx="760" cy="480" r="30" fill="none" stroke="#fff" stroke-width="5"/>')

def skyline(color):
    out = []
    xs = [60, 170, 260, 380, 470, 600, 690, 820, 930, 1050]
    for i, x in enumerate(xs):
        h = 160 + (i * 97) % 260
        out.append(f'<rect x="{x}" y="{560 - h}" width="{80 + (i % 3) * 20}" height="{h}" fill="{color}" opacity="{0.7 + (i % 3) * 0.1:.1f}"/>')
    out.append(f'<rect y="560" width="{W}" height="70" fill="#1d3c5a"/>')
    return "".join(out)

def lotus(cx, cy, color, center):
    petals = "".join(f'<ellipse cx="{cx}" cy="{cy - 110}" rx="55" ry="130" fill="{color}" transform="rotate({a} {cx} {cy})" opacity=".9"/>' for a in (-60, -30, 0, 30, 60))
    return petals + f'<ellipse cx="{cx}" cy="{cy}" rx="200" ry="36" fill="{center}"/>'

def dress(cx, color, trim):
    return (f'<path d="M{cx - 70} 140 h140 l30 90 l-20 330 h-160 l-20 -330 z" fill="{color}"/>'
            f'<path d="M{cx - 70} 140 l-90 200 l40 10 l70 -150z M{cx + 70} 140 l90 200 l-40 10 l-70 -150z" fill="{color}"/>'
            f'<path d="M{cx - 30} 140 q30 30 60 0" fill="none" stroke="{trim}" stroke-width="8"/>'
            f'<rect x="{cx - 90}" y="560" width="180" height="40" fill="#f5efe6"/>')

COVERS = {
    "landscape": (mountains(["#5c8a5a", "#3f6e45", "#2b5233"]) + sun(950, 150, 70, "#f6c445"), "#bfe1f0", "Mountains and sun"),
    "delta": (terraces("#7fb069", "#a7c957") + sun(200, 120, 60, "#f4a259"), "#e9f5db", "Rice terraces"),
    "coast": (waves(420, "#1d6fa3", 6) + sun(600, 260, 110, "#f7b32b"), "#fde8c8", "Sea and rising sun"),
    "drum": (drum(600, 315, 260, "#7a5c2e", "#d9b26f"), "#2f3e46", "Bronze drum pattern"),
    "lanterns": ("".join(lantern(x, 260 + (i % 2) * 90, c) for i, (x, c) in enumerate([(200, "#d62828"), (420, "#f77f00"), (640, "#fcbf49"), (860, "#d62828"), (1060, "#f77f00")])), "#14213d", "Paper lanterns"),
    "citadel": (gate(600, 600, "#b23a48", "#f2c14e"), "#f6e7cb", "Citadel gate"),
    "bowl": (bowl(560, 420, "#f1faee", "#e9c46a"), "#e76f51", "A bowl of noodle soup"),
    "bay": (karsts("#4a6f5b", "#7fb7be"), "#dcebe8", "Limestone islands and a junk"),
    "document": (scroll("#fbf6e9", "#c1121f"), "#264653", "A document with a red seal"),
    "city": (skyline("#274c77") + sun(950, 140, 60, "#ffd166"), "#a9d6e5", "City skyline"),
    "lotus": (lotus(600, 420, "#f28db2", "#2a9d8f"), "#fff1e6", "Lotus flower"),
    "ao-dai": (dress(600, "#7b2cbf", "#f0e6ff"), "#fde2e4", "A long dress"),
    "tet": (lantern(300, 250, "#d62828") + "".join(f'<circle cx="{700 + (i % 4) * 90}" cy="{200 + (i // 4) * 90}" r="28" fill="#f9c74f"/>' for i in range(12)), "#9b2226", "Lantern and apricot blossoms"),
}

def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for name, (body, sky, title) in COVERS.items():
        (OUT / f"{name}.svg").write_text(svg(body, sky, title), encoding="utf-8")

if __name__ == "__main__":
    main()
