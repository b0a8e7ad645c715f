#include "services/statistics/bulletins/bulletin_template.h"

namespace caserelay::bulletins {

const char kBulletinTemplate[] = R"HTML(<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>{{title}}</title>
<style>
@page {
  size: A4;
  margin: 18mm 16mm 20mm 16mm;
  @bottom-center { content: "第 " counter(page) " 页　共 " counter(pages) " 页"; font-family: "Noto Sans CJK SC", sans-serif; font-size: 9pt; color: #444; }
}
body { font-family: "Noto Sans CJK SC", "Noto Sans CJK", sans-serif; font-size: 10.5pt; color: #111; line-height: 1.5; margin: 0 auto; max-width: 760px; }
.masthead { text-align: center; border-bottom: 3px solid #b00000; padding-bottom: 6pt; margin-bottom: 10pt; }
.masthead h1 { color: #b00000; font-family: "Noto Serif CJK SC", "Noto Sans CJK SC", serif; font-size: 30pt; letter-spacing: 0.3em; margin: 0; }
.masthead .issue { margin: 4pt 0 0; font-size: 12pt; }
.masthead .meta { display: flex; justify-content: space-between; margin: 6pt 0 0; }
h2 { font-size: 13pt; border-left: 4pt solid #1f4e79; padding-left: 6pt; margin: 14pt 0 6pt; }
section { break-inside: avoid; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; }
th, td { border: 0.5pt solid #888; padding: 2pt 5pt; }
th { background: #e8eef5; font-weight: bold; text-align: center; }
td.n { text-align: right; font-variant-numeric: tabular-nums; }
.summary { text-indent: 2em; }
.chart { display: block; margin: 4pt auto; max-width: 100%; height: auto; }
footer { border-top: 0.5pt solid #888; margin-top: 14pt; padding-top: 4pt; font-family: "Noto Sans CJK SC", sans-serif; font-size: 9pt; color: #444; }
</style>
</head>
<body>
<header class="masthead">
<h1>{{kind_title}}</h1>
<p class="issue">{{issue_label}}</p>
<p class="meta"><span>{{bureau_name}}</span><span>{{issued_date}}</span></p>
</header>
<p>统计期间：{{period_words}}（共{{period_days}}天）</p>

<section>
<h2>一、信访总量</h2>
<p class="summary">{{summary}}</p>
<table>
<thead><tr><th>指标</th><th>本期</th><th>上期</th><th>环比</th><th>去年同期</th><th>同比</th></tr></thead>
<tbody>
{{#headline}}<tr><td>{{label}}</td><td class="n">{{current}}</td><td class="n">{{previous}}</td><td class="n">{{month_on_month}}</td><td class="n">{{year_before}}</td><td class="n">{{year_on_year}}</td></tr>
{{/headline}}<tr><td>网上信访占比</td><td class="n">{{online_share}}</td><td class="n">{{online_share_previous}}</td><td class="n">{{online_share_mom}}</td><td class="n">{{online_share_year_before}}</td><td class="n">{{online_share_yoy}}</td></tr>
</tbody>
</table>
{{{comparison_chart}}}
</section>

<section>
<h2>二、信访渠道</h2>
{{{channel_chart}}}
</section>

<section>
<h2>三、主要问题类别</h2>
{{#has_categories}}<table>
<thead><tr><th>排名</th><th>类别</th><th>件次</th><th>占比</th></tr></thead>
<tbody>
{{#top_categories}}<tr><td class="n">{{rank}}</td><td>{{name}}</td><td class="n">{{count}}</td><td class="n">{{share}}</td></tr>
{{/top_categories}}</tbody>
</table>
{{{category_chart}}}{{/has_categories}}{{^has_categories}}<p>本期无信访事项。</p>{{/has_categories}}
</section>

<section>
<h2>四、主要地区</h2>
{{#has_regions}}<table>
<thead><tr><th>排名</th><th>地区</th><th>件次</th><th>占比</th></tr></thead>
<tbody>
{{#top_regions}}<tr><td class="n">{{rank}}</td><td>{{name}}</td><td class="n">{{count}}</td><td class="n">{{share}}</td></tr>
{{/top_regions}}</tbody>
</table>{{/has_regions}}{{^has_regions}}<p>本期无信访事项。</p>{{/has_regions}}
</section>

<section>
<h2>五、化解情况</h2>
<table>
<thead><tr><th>处理意见</th><th>件次</th><th>占比</th></tr></thead>
<tbody>
{{#outcomes}}<tr><td>{{name}}</td><td class="n">{{count}}</td><td class="n">{{share}}</td></tr>
{{/outcomes}}</tbody>
</table>
<table>
<thead><tr><th>群众评价</th><th>件次</th><th>占比</th></tr></thead>
<tbody>
{{#ratings}}<tr><td>{{name}}</td><td class="n">{{count}}</td><td class="n">{{share}}</td></tr>
{{/ratings}}</tbody>
</table>
</section>

<section>
<h2>六、红灯与督办</h2>
<p>本期到期未按时办理的红灯{{red_lights}}件；发出督办{{supervisions_total}}件{{supervision_detail}}。</p>
</section>

<section>
<h2>七、按期办结率排名</h2>
{{#has_on_time}}<table>
<thead><tr><th>排名</th><th>单位</th><th>按期办结率</th><th>按期办结/应办结</th></tr></thead>
<tbody>
{{#by_on_time}}<tr><td class="n">{{rank}}</td><td>{{name}}</td><td class="n">{{rate}}</td><td class="n">{{numerator}}/{{denominator}}</td></tr>
{{/by_on_time}}</tbody>
</table>{{/has_on_time}}{{^has_on_time}}<p>本期无到期事项。</p>{{/has_on_time}}
</section>

<section>
<h2>八、群众满意率排名</h2>
{{#has_satisfaction}}<table>
<thead><tr><th>排名</th><th>单位</th><th>群众满意率</th><th>满意/参评</th></tr></thead>
<tbody>
{{#by_satisfaction}}<tr><td class="n">{{rank}}</td><td>{{name}}</td><td class="n">{{rate}}</td><td class="n">{{numerator}}/{{denominator}}</td></tr>
{{/by_satisfaction}}</tbody>
</table>{{/has_satisfaction}}{{^has_satisfaction}}<p>本期无参评事项。</p>{{/has_satisfaction}}
</section>

<section>
<h2>九、领导接访、包案与督办</h2>
<table>
<thead><tr><th>指标</th><th>本期</th><th>上期</th><th>环比</th><th>去年同期</th><th>同比</th></tr></thead>
<tbody>
{{#leaders_work}}<tr><td>{{label}}</td><td class="n">{{current}}</td><td class="n">{{previous}}</td><td class="n">{{month_on_month}}</td><td class="n">{{year_before}}</td><td class="n">{{year_on_year}}</td></tr>
{{/leaders_work}}</tbody>
</table>
</section>

<footer>本通报仅载统计数字，不含信访人个人信息。{{bureau_name}}　{{issued_date}}印发</footer>
</body>
</html>
)HTML";

}  // namespace caserelay::bulletins
