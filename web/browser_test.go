package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"gongkai/internal/testenv"
)

// newBrowser starts headless Chromium for t and returns a tab's context.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	exe := testenv.MustChromium(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.WindowSize(1280, 1000),
		// Chromium leaves a folder for its singleton socket in its temp
		// dir: in the test's, it goes with the test.
		chromedp.Env("TMPDIR="+t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(actx)
	t.Cleanup(func() { cancelCtx(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return ctx
}

// emulateMedia renders the page for media m ("print", or "" for the screen).
func emulateMedia(m string) chromedp.Action[chromedp.Void] {
	return chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
		_, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
		return err
	})
}

// screenshot saves the page as a test artifact (not part of the source tree).
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	if err != nil {
		t.Errorf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(testenv.ArtifactDir(t), name+".jpg")
	if err := os.WriteFile(path, buf, 0o644); err != nil {
		t.Errorf("screenshot %s: %v", name, err)
	}
}

// TestBrowserSearchAndDownload uses the public site as a visitor would:
// search from the home page, open the first result, download its
// attachment.
func TestBrowserSearchAndDownload(t *testing.T) {
	f := sharedServer(t)
	ctx := newBrowser(t)
	err := chromedp.Do(ctx,
		chromedp.Navigate(f.URL+"/"),
		chromedp.WaitVisible(chromedp.CSS(`input[name="q"]`)),
	)
	if err != nil {
		t.Fatalf("home page: %v", err)
	}
	screenshot(t, ctx, "home")
	err = chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`input[name="q"]`), "政府信息主动公开"),
		chromedp.Submit(chromedp.CSS(`input[name="q"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.results a[href^="/entries/"]`)),
	)
	if err != nil {
		t.Fatalf("search from the home page: %v", err)
	}
	screenshot(t, ctx, "search-results")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.results a[href^="/entries/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`article.entry h1`)),
	)
	if err != nil {
		t.Fatalf("open the first result: %v", err)
	}
	title, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`article.entry h1`)))
	if err != nil || !strings.Contains(title, "政府信息主动公开工作制度") {
		t.Errorf("first result opened %q (%v)", title, err)
	}
	screenshot(t, ctx, "entry")

	dir := t.TempDir()
	progress := chromedp.Events(ctx, browser.DownloadProgress)
	err = chromedp.Do(ctx,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			on := true
			_, err := chromedp.Call(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
				Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: dir, EventsEnabled: &on,
			})
			return err
		}),
		chromedp.Click(chromedp.CSS(`section.attachments a`)),
	)
	if err != nil {
		t.Fatalf("download: %v", err)
	}
	got := make(chan string, 1)
	go func() {
		for ev, err := range progress {
			if err != nil {
				return
			}
			if ev.State == browser.DownloadProgressStateCompleted {
				got <- ev.GUID
				return
			}
		}
	}()
	select {
	case guid := <-got:
		data, err := os.ReadFile(filepath.Join(dir, guid))
		if err != nil || !strings.Contains(string(data), "政府信息") {
			t.Errorf("downloaded file: %v, %d bytes", err, len(data))
		}
	case <-time.After(20 * time.Second):
		t.Errorf("the attachment did not download within 20 s")
	}
}

// TestBrowserKiosk types on the on-screen keyboard with clicks alone,
// finds a document by its pinyin initials, and waits for the idle reset.
func TestBrowserKiosk(t *testing.T) {
	f := MustServer(t)
	f.Service.Settings.KioskIdleSeconds = 3
	ctx := newBrowser(t)
	steps := []chromedp.Action[chromedp.Void]{chromedp.Navigate(f.URL + "/kiosk"), chromedp.WaitVisible(chromedp.CSS(`.k-keyboard`))}
	for _, k := range "szzfjx" {
		steps = append(steps, chromedp.Click(chromedp.CSS(fmt.Sprintf(`.k-key[data-key="%c"]`, k))))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("type on the kiosk keyboard: %v", err)
	}
	if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#k-q`))); err != nil || v != "szzfjx" {
		t.Errorf("the keyboard typed %q (%v)", v, err)
	}
	screenshot(t, ctx, "kiosk")
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.k-key[data-action="back"]`)),
		chromedp.Click(chromedp.CSS(`.k-key[data-key="s"]`)),
		chromedp.Click(chromedp.CSS(`.k-go`)),
		chromedp.WaitVisible(chromedp.CSS(`.k-result-title`)),
	)
	if err != nil {
		t.Fatalf("search on the kiosk: %v", err)
	}
	if first, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.k-result-title`))); err != nil || !strings.Contains(first, "数字政府建设") {
		t.Errorf("kiosk search by initials found %q first (%v)", first, err)
	}
	screenshot(t, ctx, "kiosk-results")
	// A visitor switches on the extra-large text and walks away: the kiosk
	// goes back to its start screen, in the normal size for the next one.
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.k-prefs button[value="large"]`)),
		chromedp.WaitVisible(chromedp.CSS(`html.large-text .k-result-title`)),
	)
	if err != nil {
		t.Fatalf("switch on the extra-large text: %v", err)
	}
	deadline := time.Now().Add(15 * time.Second)
	for {
		// While the kiosk navigates there is, for a moment, no document.
		state, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + location.search + " " + (document.documentElement ? document.documentElement.className : "(loading)")`))
		if err != nil {
			t.Fatal(err)
		}
		if state == "/kiosk kiosk" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no idle reset to the plain start screen after 15 s (idle time 3 s): still at %q", state)
		}
		time.Sleep(300 * time.Millisecond)
	}
}

// TestBrowserKioskIndexNoAndBack: a visitor types an 索引号 with its / and
// - on the on-screen keyboard, opens the entry found and, with no Back
// button in kiosk mode, returns to the same results by 返回检索结果.
func TestBrowserKioskIndexNoAndBack(t *testing.T) {
	f := sharedServer(t)
	ctx := newBrowser(t)
	typed := strings.ToLower(rulesIndexNo) // the keyboard has lower-case letters
	steps := []chromedp.Action[chromedp.Void]{chromedp.EmulateViewport(1080, 1920), chromedp.Navigate(f.URL + "/kiosk"), chromedp.WaitVisible(chromedp.CSS(`.k-keyboard`))}
	for _, k := range typed {
		steps = append(steps, chromedp.Click(chromedp.CSS(fmt.Sprintf(`.k-key[data-key=%q]`, string(k)))))
	}
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatalf("type %s on the kiosk keyboard: %v", typed, err)
	}
	if v, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`#k-q`))); err != nil || v != typed {
		t.Fatalf("the keyboard typed %q (%v), want %q", v, err, typed)
	}
	err := chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.k-go`)),
		chromedp.WaitVisible(chromedp.CSS(`.k-result-title`)),
	)
	if err != nil {
		t.Fatalf("search on the kiosk: %v", err)
	}
	results, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	if first, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`.k-result-title`))); err != nil || !strings.Contains(first, "工作制度") {
		t.Errorf("the kiosk search for %s found %q first (%v)", typed, first, err)
	}
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a.k-result`)),
		chromedp.WaitVisible(chromedp.CSS(`.k-entry`)),
	)
	if err != nil {
		t.Fatalf("open the result: %v", err)
	}
	screenshot(t, ctx, "kiosk-entry-back")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`.k-actions a[href^="/kiosk/search?"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.k-result-title`)),
	)
	if err != nil {
		t.Fatalf("follow 返回检索结果: %v", err)
	}
	again, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.pathname + " " + document.querySelector("#k-q").value`))
	if err != nil || again != "/kiosk/search "+typed {
		t.Errorf("返回检索结果 leads to %q (%v), want the results for %s (were at %s)", again, err, typed, results)
	}
}

// TestBrowserKioskFindAndPrint is a visitor with a mouse alone: a category
// tile, a result, the print button; the printout is the entry and its QR
// code without the kiosk's controls.
func TestBrowserKioskFindAndPrint(t *testing.T) {
	f := sharedServer(t)
	ctx := newBrowser(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1920, 1080),
		chromedp.Navigate(f.URL+"/kiosk"),
		chromedp.Click(chromedp.CSS(`a.k-tile[href*="category="]`)),
		chromedp.WaitVisible(chromedp.CSS(`.k-result`)),
	)
	if err != nil {
		t.Fatalf("open a category tile: %v", err)
	}
	// Above results the keyboard waits for a touch on the search box.
	if folded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector(".k-keyboard").hidden`)); err != nil || !folded {
		t.Errorf("the keyboard covers the results (hidden %v, %v)", folded, err)
	}
	if err := chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`#k-q`)), chromedp.WaitVisible(chromedp.CSS(`.k-key[data-key="a"]`))); err != nil {
		t.Errorf("a touch on the search box does not open the keyboard: %v", err)
	}
	screenshot(t, ctx, "kiosk-category")
	err = chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`a.k-result`)),
		chromedp.WaitVisible(chromedp.CSS(`.k-entry [data-action="print"]`)),
	)
	if err != nil {
		t.Fatalf("open a result: %v", err)
	}
	printed, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.print = () => { window.printed = true }; false`))
	if err == nil {
		err = chromedp.Do(ctx, chromedp.Click(chromedp.CSS(`[data-action="print"]`)))
	}
	if err == nil {
		printed, err = chromedp.Run(ctx, chromedp.Evaluate[bool](`window.printed === true`))
	}
	if err != nil || !printed {
		t.Errorf("the print button does not print (%v)", err)
	}
	err = chromedp.Do(ctx, emulateMedia("print"))
	if err != nil {
		t.Fatal(err)
	}
	page, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[".k-header", ".k-footer", ".k-search", ".k-actions"]
		.filter(s => document.querySelector(s) && getComputedStyle(document.querySelector(s)).display !== "none").join(" ") +
		"|" + (document.querySelector(".k-qr img").complete && document.querySelector(".k-qr img").naturalWidth > 0 && document.querySelector(".k-qr img").getBoundingClientRect().width > 0) +
		"|" + document.querySelector(".k-qr figcaption").textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if parts := strings.Split(page, "|"); len(parts) != 3 || parts[0] != "" || parts[1] != "true" || !strings.Contains(parts[2], "/entries/") {
		t.Errorf("printout: controls shown %q, QR code shown %s, caption %q; want no controls and the QR code of the public address", parts[0], parts[1], parts[2])
	}
	screenshot(t, ctx, "kiosk-print")
}

// TestBrowserKioskBriefPrint: a long text at the kiosk offers its first
// page alone beside the whole text, with the length of each; printed
// alone, the body is left out and a note says where to read it.
func TestBrowserKioskBriefPrint(t *testing.T) {
	f := newFSWorkflow(t)
	article := "第一条 为了保障公民、法人和其他组织依法获取政府信息，提高政府工作的透明度，建设法治政府。\n"
	e := f.publish(t, map[string]any{"title": "长篇条例打印测试", "body": strings.Repeat(article, 100)}) // 4,400 characters
	ctx := newBrowser(t)
	err := chromedp.Do(ctx,
		chromedp.EmulateViewport(1920, 1080),
		chromedp.Navigate(f.URL+"/kiosk/entries/"+e.ID),
		chromedp.WaitVisible(chromedp.CSS(`[data-print="brief"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	// Without script the buttons could not print: they stay hidden.
	noScript := newBrowser(t)
	err = chromedp.Do(noScript,
		chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
			_, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true})
			return err
		}),
		chromedp.Navigate(f.URL+"/kiosk/entries/"+e.ID),
		chromedp.WaitVisible(chromedp.CSS(".k-entry")),
	)
	if err != nil {
		t.Fatal(err)
	}
	if shown, err := chromedp.Run(noScript, chromedp.Evaluate[int](`[...document.querySelectorAll('[data-action="print"]')].filter(b => getComputedStyle(b).display !== "none").length`)); err != nil || shown != 0 {
		t.Errorf("without script %d print buttons are shown (%v)", shown, err)
	}
	labels, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('[data-action="print"]')].map(b => b.textContent).join("|")`))
	if err != nil || labels != "打印首页（基本信息和二维码）|打印全文（约 5 页）" {
		t.Errorf("print buttons %q (%v)", labels, err)
	}
	// What a printout shows: whether the body and the note are displayed
	// when the page is printed as the button left it.
	printed := func(button string) string {
		t.Helper()
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`window.print = () => {}; document.querySelector('`+button+`').click();
			[".k-body", ".k-print-brief", ".k-qr", ".k-meta"].map(s => getComputedStyle(document.querySelector(s)).display !== "none").join(" ")`))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	err = chromedp.Do(ctx, emulateMedia("print"))
	if err != nil {
		t.Fatal(err)
	}
	if got := printed(`[data-print="brief"]`); got != "false true true true" {
		t.Errorf("brief printout shows body, note, QR code, table: %s; want false true true true", got)
	}
	screenshot(t, ctx, "kiosk-print-brief")
	if got := printed(`[data-action="print"]:not([data-print])`); got != "true false true true" {
		t.Errorf("full printout shows body, note, QR code, table: %s; want true false true true", got)
	}
	note, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(".k-print-brief")))
	if err != nil || !strings.Contains(note, "约 4 页") || !strings.Contains(note, "二维码") {
		t.Errorf("brief printout note %q (%v)", note, err)
	}
}

// TestBrowserKioskStartScreen: on a landscape (1920×1080) and a portrait
// (1080×1920) kiosk the start screen shows the first row of category tiles
// without scrolling, with no text under 24 px and no target under 48 px.
func TestBrowserKioskStartScreen(t *testing.T) {
	f := sharedServer(t)
	ctx := newBrowser(t)
	const measure = `(() => {
		const tile = document.querySelector("a.k-tile").getBoundingClientRect();
		let font = 1000, target = 1000;
		for (const el of document.body.querySelectorAll("*")) {
			const r = el.getBoundingClientRect();
			if (r.width === 0 || r.height === 0 || el.closest(".skip-link, [hidden]")) { continue; }
			if ([...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim() !== "")) {
				font = Math.min(font, parseFloat(getComputedStyle(el).fontSize));
			}
			if (el.matches("a, button, input")) { target = Math.min(target, r.width, r.height); }
		}
		return [tile.bottom, innerHeight, scrollY, font, target];
	})()`
	for _, v := range []struct {
		name          string
		width, height int64
	}{{"Landscape", 1920, 1080}, {"Portrait", 1080, 1920}} {
		t.Run(v.name, func(t *testing.T) {
			var m []float64
			err := chromedp.Do(ctx,
				chromedp.EmulateViewport(v.width, v.height),
				chromedp.Navigate(f.URL+"/kiosk"),
				chromedp.WaitVisible(chromedp.CSS(`.k-keyboard`)),
				chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
					var err error
					m, err = chromedp.Run(ctx, chromedp.Evaluate[[]float64](measure))
					return err
				}),
			)
			if err != nil {
				t.Fatal(err)
			}
			screenshot(t, ctx, "kiosk-start-"+strings.ToLower(v.name))
			if bottom, height, scrolled := m[0], m[1], m[2]; bottom > height || scrolled != 0 {
				t.Errorf("the first category tiles end at %.0f px, below the %.0f px screen (scrolled %.0f)", bottom, height, scrolled)
			}
			if m[3] < 24 {
				t.Errorf("text of %.1f px, want at least 24", m[3])
			}
			if m[4] < 48 {
				t.Errorf("a touch target of %.0f px, want at least 48", m[4])
			}
		})
	}
}

// TestBrowserPrintAttachmentAddress: the printed entry, on the public site
// and from the kiosk, gives each attachment's full address; the kiosk's
// screen does not show it.
func TestBrowserPrintAttachmentAddress(t *testing.T) {
	f := sharedServer(t)
	ctx := newBrowser(t)
	rules := f.ID(t, lineRules)
	want := f.URL + "/files/" + rules + "/"
	for _, c := range []struct{ name, path, expr string }{
		{"Entry", "/entries/" + rules, `getComputedStyle(document.querySelector("section.attachments a"), "::after").content`},
		{"Kiosk", "/kiosk/entries/" + rules, `(e => getComputedStyle(e).display === "none" ? "" : e.innerText)(document.querySelector(".k-print-url"))`},
	} {
		t.Run(c.name, func(t *testing.T) {
			var screen, paper string
			err := chromedp.Do(ctx,
				emulateMedia(""),
				chromedp.Navigate(f.URL+c.path),
				chromedp.WaitReady(chromedp.CSS(`main`)),
				chromedp.Func(func(ctx context.Context, _ *chromedp.Target) (err error) {
					screen, err = chromedp.Run(ctx, chromedp.Evaluate[string](c.expr))
					return err
				}),
				emulateMedia("print"),
				chromedp.Func(func(ctx context.Context, _ *chromedp.Target) (err error) {
					paper, err = chromedp.Run(ctx, chromedp.Evaluate[string](c.expr))
					return err
				}),
				emulateMedia(""),
			)
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(paper, want) {
				t.Errorf("%s printed: attachment address %q, want the full address %s…", c.path, paper, want)
			}
			if c.name == "Kiosk" && screen != "" {
				t.Errorf("%s on the screen shows the address %q", c.path, screen)
			}
		})
	}
}

// TestBrowserLayout looks at the widths a reader sees: the help when
// nothing is found, the 名称 column of the catalogue and, on a phone in
// 大字, the search box are not squeezed.
func TestBrowserLayout(t *testing.T) {
	f := sharedServer(t)
	ctx := newBrowser(t)
	for _, c := range []struct {
		name, path, prefs string
		width             int64
		expr              string
		min               float64
	}{
		{"NoResultsHelpUsesTheWidth", "/search?q=" + url.QueryEscape("不存在的词语组合"), "", 1280,
			`document.querySelector(".no-results").getBoundingClientRect().width / document.querySelector("main").getBoundingClientRect().width`, 0.5},
		{"CatalogueTitleColumnIsWide", "/catalogue", "", 1280,
			`document.querySelector(".catalogue-table thead th:nth-child(2)").getBoundingClientRect().width / document.querySelector(".catalogue-table").getBoundingClientRect().width`, 0.25},
		{"PhoneSearchBoxInLargeText", "/", "large", 390,
			`document.querySelector(".searchbox input").getBoundingClientRect().width / document.querySelector(".searchbox-row").getBoundingClientRect().width`, 0.65},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := chromedp.Do(ctx,
				chromedp.EmulateViewport(c.width, 900),
				chromedp.Navigate(f.URL+"/healthz"),
				chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
					_, err := chromedp.Run(ctx, chromedp.Evaluate[any](fmt.Sprintf(`document.cookie = "gk_prefs=%s; path=/"`, c.prefs)))
					return err
				}),
				chromedp.Navigate(f.URL+c.path),
			)
			if err != nil {
				t.Fatal(err)
			}
			share, err := chromedp.Run(ctx, chromedp.Evaluate[float64](c.expr))
			if err != nil {
				t.Fatal(err)
			}
			if share < c.min {
				t.Errorf("%s at %d px: %.0f%% of the width, want at least %.0f%%", c.path, c.width, share*100, c.min*100)
			}
		})
	}
}

// TestBrowserCurrentNavItem: the menu marks the current section by more
// than its colour (a bar under it) in the normal and high-contrast modes.
func TestBrowserCurrentNavItem(t *testing.T) {
	f := sharedServer(t)
	ctx := newBrowser(t)
	const bars = `[...document.querySelectorAll(".site-nav a")].map(a =>
		(a.getAttribute("aria-current") === "page" ? "current:" : "") + parseFloat(getComputedStyle(a).borderBottomWidth)).join(" ")`
	for _, mode := range []struct{ name, cookie string }{{"Normal", ""}, {"HighContrast", "contrast"}} {
		t.Run(mode.name, func(t *testing.T) {
			var got string
			err := chromedp.Do(ctx,
				chromedp.EmulateViewport(1280, 900),
				chromedp.Navigate(f.URL+"/healthz"),
				chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
					_, err := chromedp.Run(ctx, chromedp.Evaluate[any](fmt.Sprintf(`document.cookie = "gk_prefs=%s; path=/"`, mode.cookie)))
					return err
				}),
				chromedp.Navigate(f.URL+"/catalogue"),
				chromedp.Func(func(ctx context.Context, _ *chromedp.Target) (err error) {
					got, err = chromedp.Run(ctx, chromedp.Evaluate[string](bars))
					return err
				}),
			)
			if err != nil {
				t.Fatal(err)
			}
			// 首页 信息公开目录 检索 申请公开 公开指南, on /catalogue.
			if got != "0 current:5 0 0 0" {
				t.Errorf("menu items' bottom bars %q, want only the current one (信息公开目录) marked: \"0 current:5 0 0 0\"", got)
			}
		})
	}
}

// tabTo presses Tab until the element sel has the keyboard focus (at most
// 60 times) and reports whether it got there.
func tabTo(t *testing.T, ctx context.Context, sel string) bool {
	t.Helper()
	for range 60 {
		if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Tab)); err != nil {
			t.Fatal(err)
		}
		at, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.activeElement.matches(`+strconvQuote(sel)+`)`))
		if err != nil {
			t.Fatal(err)
		}
		if at {
			return true
		}
	}
	return false
}

func strconvQuote(s string) string { b, _ := json.Marshal(s); return string(b) }

// TestBrowserFacetsLink: on a phone (390 px) the filters come after the
// results and the pager, and a 筛选 link above the results leads to them;
// the keyboard reaches the link before the results and, followed, goes on
// into the filters. On a wide screen the filters stay in the left column
// and the link shows when the keyboard reaches it. In the normal and
// high-contrast modes the link has a visible focus outline and passes axe.
func TestBrowserFacetsLink(t *testing.T) {
	f := sharedServer(t)
	axe, err := os.ReadFile(testenv.MustAxe(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	const layout = `(() => {
		const r = s => document.querySelector(s).getBoundingClientRect();
		const hits = [...document.querySelectorAll('.results a[href^="/entries/"]')];
		const pager = document.querySelector(".pager");
		return {link: r(".to-facets a").toJSON(), wrap: r(".to-facets").toJSON(), firstHit: hits[0].getBoundingClientRect().toJSON(),
			lastHit: hits[hits.length-1].getBoundingClientRect().toJSON(), pagerBottom: pager ? pager.getBoundingClientRect().bottom : 0,
			facets: r("#facets").toJSON(), results: r(".results").toJSON(), height: innerHeight};
	})()`
	type rect struct{ Top, Bottom, Left, Right, Width, Height float64 }
	type measured struct {
		Link, Wrap, FirstHit, LastHit, Facets, Results rect
		PagerBottom, Height                            float64
	}
	for _, mode := range []struct{ name, cookie string }{{"Normal", ""}, {"HighContrast", "contrast"}} {
		for _, path := range []string{"/search?q=" + url.QueryEscape("工业") + "&size=2", "/catalogue?size=4"} {
			for _, width := range []int64{390, 1280} {
				t.Run(fmt.Sprintf("%s%s@%d", mode.name, path, width), func(t *testing.T) {
					err := chromedp.Do(ctx,
						chromedp.EmulateViewport(width, 844),
						chromedp.Navigate(f.URL+"/healthz"),
						chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
							_, err := chromedp.Run(ctx, chromedp.Evaluate[any](fmt.Sprintf(`document.cookie = "gk_prefs=%s; path=/"`, mode.cookie)))
							return err
						}),
						chromedp.Navigate(f.URL+path),
						chromedp.WaitReady(chromedp.CSS(`body`)),
					)
					if err != nil {
						t.Fatal(err)
					}
					if ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!!document.querySelector("#facets") && !!document.querySelector(".to-facets a")`)); err != nil || !ok {
						t.Fatalf("%s has no #facets region or no .to-facets link (%v)", path, err)
					}
					m, err := chromedp.Run(ctx, chromedp.Evaluate[measured](layout))
					if err != nil {
						t.Fatal(err)
					}
					if width == 390 {
						if m.Link.Height < 44 || m.Link.Width < 44 {
							t.Errorf("the 筛选 link is %.0f×%.0f px, want a visible target of at least 44 px", m.Link.Width, m.Link.Height)
						}
						if m.Link.Bottom > m.FirstHit.Top || m.Link.Top > m.Height {
							t.Errorf("the 筛选 link (top %.0f) is not above the first result (top %.0f) on the first screen (%.0f)", m.Link.Top, m.FirstHit.Top, m.Height)
						}
						if m.Facets.Top < m.LastHit.Bottom || m.Facets.Top < m.PagerBottom {
							t.Errorf("on a phone the filters (top %.0f) are not after the results (%.0f) and the pager (%.0f)", m.Facets.Top, m.LastHit.Bottom, m.PagerBottom)
						}
					} else {
						if m.Facets.Right > m.Results.Left || m.Facets.Top > m.Results.Top+1 {
							t.Errorf("on a wide screen the filters (%+v) are not the left column beside the results (%+v)", m.Facets, m.Results)
						}
						if m.Wrap.Width > 1 {
							t.Errorf("on a wide screen the 筛选 link shows (%.0f px wide) before the keyboard reaches it", m.Wrap.Width)
						}
					}
					if width == 390 {
						res, err := chromedp.Run(ctx, chromedp.Evaluate[string](string(axe)+`; axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => JSON.stringify({violations: r.violations}))`, chromedp.EvalAwaitPromise))
						if err != nil {
							t.Fatal(err)
						}
						var ar axeResult
						if err := json.Unmarshal([]byte(res), &ar); err != nil {
							t.Fatal(err)
						}
						for _, v := range ar.Violations {
							if v.Impact == "serious" || v.Impact == "critical" {
								t.Errorf("axe at 390 px: %s [%s]", v.Help, v.ID)
							}
						}
					}
					// The keyboard: the link before any result, shown with
					// an outline; followed, the next Tab is in the filters.
					if !tabTo(t, ctx, ".to-facets a, .results a[href^='/entries/']") {
						t.Fatal("Tab never reaches the 筛选 link or a result")
					}
					focus, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(a => a.matches(".to-facets a") + " " + getComputedStyle(a).outlineStyle + " " + Math.round(a.parentElement.getBoundingClientRect().width))(document.activeElement)`))
					if err != nil {
						t.Fatal(err)
					}
					if p := strings.Fields(focus); len(p) != 3 || p[0] != "true" || p[1] == "none" || p[2] == "0" || p[2] == "1" {
						t.Errorf("the keyboard reaches %q (is the 筛选 link, outline, width), want the 筛选 link first, shown with an outline", focus)
					}
					screenshot(t, ctx, fmt.Sprintf("facets-link-%s-%d", strings.ToLower(mode.name), width))
					if err := chromedp.Do(ctx, chromedp.KeyEvent(kb.Enter), chromedp.KeyEvent(kb.Tab)); err != nil {
						t.Fatal(err)
					}
					after, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.hash + " " + !!document.activeElement.closest("#facets") + " " + Math.round(document.querySelector("#facets").getBoundingClientRect().top)`))
					if err != nil {
						t.Fatal(err)
					}
					if p := strings.Fields(after); len(p) != 3 || p[0] != "#facets" || p[1] != "true" {
						t.Errorf("after following the 筛选 link and a Tab: hash, focus in the filters, their top = %q; want #facets true", after)
					} else if width == 390 && (p[2] == "" || p[2][0] == '-' && p[2] != "-1" && p[2] != "-0") {
						t.Errorf("after following the 筛选 link the filters start at %s px, want at the top of the screen", p[2])
					}
				})
			}
		}
	}
}

// axeResult is what axe.run reports, as much as the test reads.
type axeResult struct {
	Violations []struct {
		ID     string `json:"id"`
		Impact string `json:"impact"`
		Help   string `json:"help"`
		Nodes  []struct {
			Target []any `json:"target"`
		} `json:"nodes"`
	} `json:"violations"`
}

// TestAccessibility runs axe-core (WCAG 2.1 A and AA rules) in headless
// Chromium on the public pages and the kiosk, in the normal, large-text
// and high-contrast modes: no serious or critical violation.
func TestAccessibility(t *testing.T) {
	f := sharedServer(t)
	axe, err := os.ReadFile(testenv.MustAxe(t))
	if err != nil {
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	pages := []struct{ name, path string }{
		{"home", "/"}, {"catalogue", "/catalogue"}, {"entry", "/entries/" + f.ID(t, 1)},
		{"search results", "/search?q=工业"}, {"no results", "/search?q=不存在的词语组合"},
		{"search by date", "/search?q=工业&organ=韶关市工业和信息化局&from=2020-01-01&to=2023-12-31"}, {"kiosk", "/kiosk"},
		{"kiosk results", "/kiosk/search?q=szzfjs"}, {"kiosk entry", "/kiosk/entries/" + f.ID(t, 1) + "?back=q%3Dszzfjs%26page%3D1"},
		{"apply", "/apply"}, {"guide", "/guide"}, {"annual report", "/reports/2026"},
	}
	for _, mode := range []struct{ name, cookie string }{{"normal", ""}, {"large text", "large"}, {"high contrast", "contrast"}} {
		for _, p := range pages {
			err := chromedp.Do(ctx,
				chromedp.Navigate(f.URL+"/healthz"),
				chromedp.Func(func(ctx context.Context, _ *chromedp.Target) error {
					_, err := chromedp.Run(ctx, chromedp.Evaluate[any](fmt.Sprintf(`document.cookie = "gk_prefs=%s; path=/"`, mode.cookie)))
					return err
				}),
				chromedp.Navigate(f.URL+p.path),
				chromedp.WaitReady(chromedp.CSS(`body`)),
			)
			if err != nil {
				t.Fatalf("%s (%s): %v", p.name, mode.name, err)
			}
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](string(axe))); err != nil {
				t.Fatalf("load axe-core: %v", err)
			}
			raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](
				`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}).then(r => JSON.stringify({violations: r.violations}))`,
				chromedp.EvalAwaitPromise))
			if err != nil {
				t.Fatalf("%s (%s): axe: %v", p.name, mode.name, err)
			}
			var res axeResult
			if err := json.Unmarshal([]byte(raw), &res); err != nil {
				t.Fatalf("%s: axe result: %v", p.name, err)
			}
			for _, v := range res.Violations {
				if v.Impact == "serious" || v.Impact == "critical" {
					var where []string
					for _, n := range v.Nodes {
						where = append(where, fmt.Sprint(n.Target...))
					}
					t.Errorf("%s (%s, %s): %s [%s] at %s", p.name, p.path, mode.name, v.Help, v.ID, strings.Join(where, ", "))
				}
			}
		}
	}
}

// TestBrowserOversizeUpload chooses a file far over the upload limit in the
// new-entry form: the browser shows the page naming the limit, not an
// error of its own, though the server refuses the body unread.
func TestBrowserOversizeUpload(t *testing.T) {
	f := newFSWorkflow(t)
	big := filepath.Join(t.TempDir(), "大文件.pdf")
	if err := os.WriteFile(big, make([]byte, 8<<20), 0o644); err != nil { // the fixture allows 64 KB
		t.Fatal(err)
	}
	ctx := newBrowser(t)
	wait, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	err := chromedp.Do(wait,
		chromedp.Navigate(f.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "drafter"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), staffPassword),
		chromedp.Submit(chromedp.CSS("#f-password")),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/admin/entries/new"]`)),
		chromedp.Navigate(f.URL+"/admin/entries/new"),
		chromedp.SendKeys(chromedp.CSS("#f-title"), "超大附件测试"),
		chromedp.SetUploadFiles(chromedp.CSS("#f-files"), []string{big}),
		chromedp.Click(chromedp.CSS(".entry-form button[type=submit]")),
		// The form has none: this is the answer's page.
		chromedp.WaitVisible(chromedp.CSS(`div.notice.error[role="alert"]`)),
	)
	if err != nil {
		t.Fatal(err)
	}
	page, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`div.notice.error[role="alert"]`)))
	if err != nil || !strings.Contains(page, "上限") || !strings.Contains(page, "64 KB") {
		screenshot(t, ctx, "oversize-upload")
		t.Errorf("after an oversize upload the browser shows %q (%v); want the page naming the 64 KB limit", page, err)
	}
}
