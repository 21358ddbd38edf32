#!/bin/sh
# Remakes the test files from the seed texts in ../../../../shared/seeds.
# Needs: apt-get install libreoffice-writer-nogui fonts-noto-cjk qpdf python3
set -eu
seeds=${SEEDS:-$(cd "$(dirname "$0")/../../../.." && pwd)/shared/seeds}
out=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$seeds"/000_*.txt "$tmp/seed000.txt"
head -20 "$tmp/seed000.txt" >"$tmp/short.txt"

SEEDS="$seeds" TMP="$tmp" python3 - <<'PY'
import glob, html, os, re
seeds, tmp = os.environ['SEEDS'], os.environ['TMP']
read = lambda n: open(glob.glob(f'{seeds}/{n}_*.txt')[0], encoding='utf-8').read()

# seed000 as HTML with the seven exempt cases as a table, for the DOCX.
lines = [l.strip() for l in read('000').splitlines() if l.strip()]
i = lines.index('下列政府信息免予公开：')
j = lines.index('前款第（二）、（三）所列政府信息有下列情形之一的，')
items = []
for l in lines[i+1:j]:
    if l.startswith('（'): items.append(l)
    else: items[-1] += l
out = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>主动公开工作制度</title></head><body>']
out += ['<p>%s</p>' % html.escape(l) for l in lines[:i+1]]
out.append('<table border="1"><tr><th>序号</th><th>免予公开的情形</th></tr>')
for it in items:
    m = re.match(r'（(.)）(.*)', it)
    out.append('<tr><td>%s</td><td>%s</td></tr>' % (m.group(1), html.escape(m.group(2))))
out.append('</table>')
out += ['<p>%s</p>' % html.escape(l) for l in lines[j:]]
out.append('</body></html>')
open(f'{tmp}/seed000.html', 'w', encoding='utf-8').write('\n'.join(out))

# seed000 as UTF-16LE with a BOM; seed004 in GBK.
open(f'{tmp}/seed000-utf16le.txt', 'wb').write(b'\xff\xfe' + read('000').encode('utf-16-le'))
open(f'{tmp}/seed004-gbk.txt', 'wb').write(read('004').replace('\xa0', ' ').encode('gbk'))

# seed003 as a GB2312 web page with a script, a style and a noscript.
paras = [l.strip() for l in read('003').replace('\xa0', ' ').splitlines() if l.strip()]
page = ['<!DOCTYPE html>', '<html><head>',
 '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">',
 '<title>南安市工信局主动公开政府信息处理流程细则</title>',
 '<style>body { font-family: "宋体"; } .nav::before { content: "样式里的字不应出现"; }</style>',
 '<script>var tip = "脚本里的字不应出现"; document.title = tip;</script>',
 '</head><body>',
 '<div class="nav"><a href="/">首页</a> &gt; <a href="/xxgk/">信息公开</a></div>',
 '<h1>%s</h1>' % html.escape(paras[1]), '<div class="content">']
page += ['<p>%s</p>' % html.escape(p) for p in paras[2:]]
page += ['</div>', '<noscript>请启用脚本</noscript>',
 '<script type="text/javascript">console.log("统计代码");</script>', '</body></html>']
open(f'{tmp}/seed003-gbk.html', 'wb').write('\n'.join(page).encode('gb2312'))
PY

cd "$tmp"
libreoffice --headless --infilter="Text (encoded):UTF8" --convert-to pdf seed000.txt short.txt >/dev/null
libreoffice --headless --convert-to 'docx:MS Word 2007 XML' seed000.html >/dev/null
qpdf --encrypt user owner 256 -- short.pdf encrypted-aes256.pdf
qpdf --encrypt "" owner 256 -- short.pdf owner-aes256.pdf
qpdf --encrypt "" owner 128 --use-aes=y -- short.pdf owner-aes128.pdf
head -c 13000 short.pdf >truncated.pdf
cp seed000.pdf seed000.docx seed000-utf16le.txt seed004-gbk.txt seed003-gbk.html \
	encrypted-aes256.pdf owner-aes256.pdf owner-aes128.pdf truncated.pdf "$out"/
