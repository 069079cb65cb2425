#!/usr/bin/python3
"""test/sample/report_html.py: the year's report as one self-contained HTML file
with charts (inline SVG: no script, style sheet, font or image is fetched from
anywhere), read from the reporting views of schema kpi_report.

    /usr/bin/python3 test/sample/report_html.py DSN OUTPUT.html [YEAR]

Charts: the tiers of each agency by score (before the excellent quota) and the
official ones (after it); a histogram of the year's scores; the completeness
of the inputs per agency (general-criteria forms of the officials with work,
leader criteria of the leaders).  Numbers use the decimal comma and dates
dd/mm/yyyy, Vietnamese first.  Each chart is an <svg class="chart"> whose
bars are <rect class="bar" data-value="...">; a small inline script measures
the drawn bars after loading and writes what it measured into
<pre id="render-check">, which test/cluster/clients.sh reads from
headless Chromium.
"""
import datetime
import decimal
import html
import sys

import psycopg2

TIERS = [  # rank, code, short Vietnamese name, colour
    (4, "xuat_sac", "HTXSNV", "#1b7837"),
    (3, "tot", "HTTNV", "#7fbf7b"),
    (2, "hoan_thanh", "HTNV", "#f1a340"),
    (1, "khong_hoan_thanh", "KHTNV", "#b2182b"),
]


def num(value, decimals=2):
    """A number the Vietnamese way: 1.234,56"""
    if value is None:
        return "–"
    q = decimal.Decimal(value).quantize(decimal.Decimal(1).scaleb(-decimals), rounding=decimal.ROUND_HALF_UP)
    s = "{:,.{d}f}".format(q, d=decimals)
    return s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def day(d):
    return d.strftime("%d/%m/%Y") if d else "–"


def esc(s):
    return html.escape(str(s), quote=True)


def stacked_bars(chart_id, title, rows, legend):
    """rows: (label, [(value, colour, legend), ...]) drawn as horizontal stacked bars;
    legend: (name, colour) below them"""
    bar_h, gap, top = 18, 8, 30
    left = int(min(460, 20 + 6.6 * max([len(label) for label, _ in rows] + [10])))
    width = left + 560
    total_max = max([sum(v for v, _, _ in parts) for _, parts in rows] + [1])
    height = top + len(rows) * (bar_h + gap) + 40
    scale = (width - left - 60) / total_max
    out = ['<svg class="chart" id="%s" role="img" aria-label="%s" width="%d" height="%d" '
           'viewBox="0 0 %d %d" xmlns="http://www.w3.org/2000/svg">' % (chart_id, esc(title), width, height, width, height),
           '<title>%s</title>' % esc(title)]
    y = top
    for label, parts in rows:
        out.append('<text x="%d" y="%d" text-anchor="end" class="lbl">%s</text>' % (left - 6, y + 13, esc(label)))
        x = left
        for value, colour, name in parts:
            w = value * scale
            if value > 0:
                out.append('<rect class="bar" data-value="%d" x="%.1f" y="%d" width="%.1f" height="%d" fill="%s">'
                           '<title>%s: %d</title></rect>' % (value, x, y, w, bar_h, colour, esc(name), value))
                if w > 22:
                    out.append('<text x="%.1f" y="%d" class="val">%d</text>' % (x + w / 2, y + 13, value))
            x += w
        out.append('<text x="%.1f" y="%d" class="lbl">%d</text>' % (x + 4, y + 13, sum(v for v, _, _ in parts)))
        y += bar_h + gap
    lx = left
    for short, colour in legend:
        out.append('<rect x="%d" y="%d" width="12" height="12" fill="%s"/><text x="%d" y="%d" class="lbl">%s</text>'
                   % (lx, y + 8, colour, lx + 16, y + 18, esc(short)))
        lx += 100
    out.append("</svg>")
    return "\n".join(out)


def histogram(chart_id, title, bins, width=760, height=260):
    """bins: (label, count, colour)"""
    left, bottom, top = 40, 40, 20
    n = len(bins)
    peak = max([c for _, c, _ in bins] + [1])
    bw = (width - left - 10) / n
    plot_h = height - top - bottom
    out = ['<svg class="chart" id="%s" role="img" aria-label="%s" width="%d" height="%d" '
           'viewBox="0 0 %d %d" xmlns="http://www.w3.org/2000/svg">' % (chart_id, esc(title), width, height, width, height),
           '<title>%s</title>' % esc(title),
           '<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#444"/>' % (left, height - bottom, width - 10, height - bottom)]
    for i, (label, count, colour) in enumerate(bins):
        h = count * plot_h / peak
        x = left + i * bw
        if count > 0:
            out.append('<rect class="bar" data-value="%d" x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s">'
                       '<title>%s: %d</title></rect>' % (count, x + 2, height - bottom - h, bw - 4, h, colour,
                                                         esc(label), count))
            out.append('<text x="%.1f" y="%.1f" class="val2">%d</text>' % (x + bw / 2, height - bottom - h - 3, count))
        out.append('<text x="%.1f" y="%d" class="tick">%s</text>' % (x + bw / 2, height - bottom + 14, esc(label)))
    out.append("</svg>")
    return "\n".join(out)


def main():
    dsn, path = sys.argv[1], sys.argv[2]
    year = int(sys.argv[3]) if len(sys.argv) > 3 else None
    conn = psycopg2.connect(dsn)
    cur = conn.cursor()
    if year is None:
        cur.execute("SELECT max(year) FROM kpi_report.official_result WHERE period_kind = 'year'")
        year = cur.fetchone()[0]
    if year is None:
        sys.exit("report_html.py: no year has been evaluated (CALL kpi.evaluate(..., 'year') first)")

    # the agencies and their tier counts, before and after the quota
    cur.execute("""
        SELECT a.agency_id, a.agency_name, t.tier_code, sum(t.pre_quota_officials), sum(t.final_officials)
        FROM kpi_report.tier_count t
        JOIN kpi_report.unit a ON a.unit_id = t.agency_id
        WHERE t.period_kind = 'year' AND t.year = %s
        GROUP BY a.agency_id, a.agency_name, t.tier_code ORDER BY a.agency_id""", (year,))
    agencies = {}
    for agency_id, name, code, pre, final in cur.fetchall():
        a = agencies.setdefault(agency_id, {"name": name, "pre": {}, "final": {}})
        a["pre"][code] = int(pre)
        a["final"][code] = int(final)
    cur.execute("""
        SELECT count(*), count(score), count(*) FILTER (WHERE quota_demoted),
               count(*) FILTER (WHERE quota_tie), count(*) FILTER (WHERE disqualified),
               min(evaluated_on), max(evaluated_on), avg(score)
        FROM kpi_report.official_result WHERE period_kind = 'year' AND year = %s""", (year,))
    officials, scored, demoted, ties, disqualified, first_run, last_run, mean = cur.fetchone()

    totals_final = {code: sum(a["final"].get(code, 0) for a in agencies.values()) for _, code, _, _ in TIERS}
    totals_pre = {code: sum(a["pre"].get(code, 0) for a in agencies.values()) for _, code, _, _ in TIERS}

    rows = []
    for a in agencies.values():
        rows.append(("%s – sau hạn mức" % a["name"],
                     [(a["final"].get(code, 0), colour, short) for _, code, short, colour in TIERS]))
        rows.append(("%s – theo điểm" % a["name"],
                     [(a["pre"].get(code, 0), colour + "99", short) for _, code, short, colour in TIERS]))
    tiers_svg = stacked_bars("chart-tiers", "Xếp loại theo cơ quan, trước và sau hạn mức", rows,
                             [(short, colour) for _, _, short, colour in TIERS])

    # histogram of the year's scores: below 50, then bands of 5 points
    cur.execute("""
        SELECT CASE WHEN score < 50 THEN 0 ELSE least(floor((score - 50) / 5)::int + 1, 10) END AS band, count(*)
        FROM kpi_report.official_result
        WHERE period_kind = 'year' AND year = %s AND score IS NOT NULL GROUP BY 1""", (year,))
    counts = dict(cur.fetchall())
    bins = []
    for b in range(11):
        if b == 0:
            label, colour = "<50", TIERS[3][3]
        else:
            lo = 50 + 5 * (b - 1)
            label = "%d–%d" % (lo, lo + 5) if b < 10 else "95–100"
            colour = TIERS[2][3] if lo < 70 else TIERS[1][3] if lo < 90 else TIERS[0][3]
        bins.append((label, int(counts.get(b, 0)), colour))
    histogram_svg = histogram("chart-histogram", "Phân bố điểm năm", bins)

    # completeness of the inputs, per agency: the general-criteria form of every
    # official with task lines in a month, the leader criteria of every leader
    cur.execute("""
        WITH work AS (
            SELECT DISTINCT t.official_id, date_trunc('month', t.due)::date AS m
            FROM kpi.task_line t
            WHERE t.official_id IS NOT NULL AND t.due >= make_date(%s, 1, 1) AND t.due < make_date(%s + 1, 1, 1)
        )
        SELECT u.agency_id, count(*) AS months,
               count(g.official_id) AS forms,
               count(*) FILTER (WHERE o.is_leader) AS leader_months,
               count(l.official_id) FILTER (WHERE o.is_leader) AS leader_forms
        FROM work w
        JOIN kpi.official o ON o.official_id = w.official_id
        JOIN kpi_report.unit u ON u.unit_id = o.unit_id
        LEFT JOIN kpi.general_mark g ON g.official_id = w.official_id AND g.period_start = w.m
        LEFT JOIN kpi.leader_criteria l ON l.official_id = w.official_id AND l.period_start = w.m
        GROUP BY u.agency_id ORDER BY u.agency_id""", (year, year))
    completeness = cur.fetchall()
    q_rows = []
    for agency_id, months, forms, leader_months, leader_forms in completeness:
        name = agencies.get(agency_id, {"name": str(agency_id)})["name"]
        q_rows.append((name, int(months), int(forms), int(leader_months), int(leader_forms)))
    quality_svg = stacked_bars(
        "chart-quality", "Mức đầy đủ của dữ liệu đầu vào",
        [("%s – phiếu tiêu chí chung" % n, [(f, "#2166ac", "có phiếu"), (m - f, "#d6604d", "thiếu phiếu")])
         for n, m, f, _, _ in q_rows],
        [("có phiếu", "#2166ac"), ("thiếu phiếu", "#d6604d")])
    cur.execute("""
        SELECT agency_name, score, final_tier_label_vi, head_full_name, head_final_tier_label_vi, head_capped
        FROM kpi_report.agency_result WHERE year = %s ORDER BY agency_id""", (year,))
    agency_rows = cur.fetchall()
    conn.close()

    def tier_table(totals):
        return "".join("<td>%d</td>" % totals[code] for _, code, _, _ in TIERS)

    today = datetime.date.today()
    doc = ["""<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
<title>Báo cáo kết quả đánh giá, xếp loại công chức năm %(year)d</title>
<style>
body { font-family: "DejaVu Sans", "Liberation Sans", sans-serif; margin: 2em; color: #222; max-width: 60em; }
h1 { font-size: 1.3em; text-align: center; } h2 { font-size: 1.1em; margin-top: 1.6em; }
table { border-collapse: collapse; margin: 0.5em 0; } td, th { border: 1px solid #999; padding: 0.2em 0.6em; }
td { text-align: right; } td.t { text-align: left; } .en { color: #666; font-size: 0.9em; }
svg .lbl { font-size: 12px; } svg .val { font-size: 11px; fill: #fff; text-anchor: middle; }
svg .val2 { font-size: 11px; text-anchor: middle; } svg .tick { font-size: 11px; text-anchor: middle; }
</style></head><body>
<p>SỞ NỘI VỤ<br>Phòng Công chức, viên chức</p>
<h1>BÁO CÁO KẾT QUẢ ĐÁNH GIÁ, XẾP LOẠI CÔNG CHỨC NĂM %(year)d<br>
<span class="en">Report on the rating of civil servants, %(year)d</span></h1>
<p>Theo Nghị định số 335/2025/NĐ-CP (Điều 14: kết quả thực hiện nhiệm vụ; Điều 20: xếp loại và tỷ lệ HTXSNV;
Điều 21: xếp loại năm từ điểm các tháng).
Số liệu lập ngày %(today)s từ các lần đánh giá ngày %(first)s đến %(last)s.</p>
<h2>1. Kết quả xếp loại chính thức (sau hạn mức)</h2>
<table><tr><th>Công chức</th><th>Được chấm điểm</th><th>HTXSNV</th><th>HTTNV</th><th>HTNV</th><th>KHTNV</th>
<th>Điểm bình quân</th></tr>
<tr><td>%(officials)d</td><td>%(scored)d</td>%(final)s<td>%(mean)s</td></tr></table>
<p>Theo điểm, trước hạn mức: %(pre_text)s. Hạn mức đã hạ %(demoted)d người từ HTXSNV xuống HTTNV;
%(ties)d trường hợp bằng điểm tại ngưỡng cần cấp có thẩm quyền quyết định; %(disq)d người không hoàn thành
nhiệm vụ do vi phạm (Điều 20).</p>
<h2>2. Xếp loại theo cơ quan, trước và sau hạn mức</h2>
%(tiers)s
<h2>3. Phân bố điểm năm</h2>
%(histogram)s
<h2>4. Mức đầy đủ của dữ liệu đầu vào</h2>
<p>Tháng có nhiệm vụ của từng công chức và phiếu tiêu chí chung của tháng đó; tiêu chí lãnh đạo của lãnh đạo.</p>
%(quality)s
<table><tr><th>Cơ quan</th><th>Tháng có nhiệm vụ</th><th>Có phiếu</th><th>Tỷ lệ</th><th>Tháng của lãnh đạo</th>
<th>Có tiêu chí lãnh đạo</th></tr>
%(quality_rows)s</table>
<p class="en">Tiêu chí lãnh đạo không có dòng nào được tính là đạt đủ (100) theo quy định.</p>
<h2>5. Kết quả của cơ quan</h2>
<table><tr><th>Cơ quan</th><th>Điểm</th><th>Xếp loại</th><th>Người đứng đầu</th><th>Xếp loại người đứng đầu</th>
<th>Bị giới hạn</th></tr>
%(agency_rows)s</table>
<pre id="render-check" style="color:#999;font-size:0.7em">not measured</pre>
<script>
// measured after layout: the number of bars of each chart and the area they cover
window.addEventListener('load', function () {
  var lines = [];
  document.querySelectorAll('svg.chart').forEach(function (svg) {
    var bars = svg.querySelectorAll('rect.bar'), area = 0;
    bars.forEach(function (r) { var b = r.getBBox(); area += b.width * b.height; });
    var box = svg.getBoundingClientRect();
    lines.push(svg.id + ' bars=' + bars.length + ' area=' + Math.round(area) +
               ' box=' + Math.round(box.width) + 'x' + Math.round(box.height));
  });
  document.getElementById('render-check').textContent = lines.join('\\n');
});
</script>
</body></html>
""" % {
        "year": year, "today": day(today), "first": day(first_run), "last": day(last_run),
        "officials": officials, "scored": scored, "final": tier_table(totals_final), "mean": num(mean),
        "pre_text": ", ".join("%s %d" % (short, totals_pre[code]) for _, code, short, _ in TIERS),
        "demoted": demoted, "ties": ties, "disq": disqualified,
        "tiers": tiers_svg, "histogram": histogram_svg, "quality": quality_svg,
        "quality_rows": "\n".join(
            '<tr><td class="t">%s</td><td>%d</td><td>%d</td><td>%s&nbsp;%%</td><td>%d</td><td>%d</td></tr>'
            % (esc(n), m, f, num(decimal.Decimal(100 * f) / m if m else None, 1), lm, lf)
            for n, m, f, lm, lf in q_rows),
        "agency_rows": "\n".join(
            '<tr><td class="t">%s</td><td>%s</td><td class="t">%s</td><td class="t">%s</td><td class="t">%s</td>'
            '<td class="t">%s</td></tr>' % (esc(n), num(s), esc(t or "–"), esc(h or "–"), esc(ht or "–"),
                                            "có" if capped else "không")
            for n, s, t, h, ht, capped in agency_rows),
    }]
    with open(path, "w", encoding="utf-8") as f:
        f.write("".join(doc))


if __name__ == "__main__":
    main()
