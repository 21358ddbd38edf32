package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// assets maps a static file name to its content-hashed URL, computed once
// at start-up so browsers can cache each version forever.
type assets struct {
	url   map[string]string // "app.css" → "/static/3f2a…/app.css"
	files map[string][]byte // hash/name → content
}

func loadAssets() (*assets, error) {
	a := &assets{url: map[string]string{}, files: map[string][]byte{}}
	err := fs.WalkDir(staticFS, "static", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := staticFS.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		name := strings.TrimPrefix(p, "static/")
		key := hex.EncodeToString(sum[:6]) + "/" + name
		a.url[name] = "/static/" + key
		a.files[key] = data
		return nil
	})
	return a, err
}

func (a *assets) serve(c *gin.Context) {
	key := strings.TrimPrefix(c.Param("path"), "/")
	data, ok := a.files[key]
	if !ok {
		c.Status(http.StatusNotFound)
		return
	}
	ct := "application/octet-stream"
	switch path.Ext(key) {
	case ".css":
		ct = "text/css; charset=utf-8"
	case ".js":
		ct = "text/javascript; charset=utf-8"
	case ".svg":
		ct = "image/svg+xml"
	case ".png":
		ct = "image/png"
	}
	c.Header("Cache-Control", "public, max-age=31536000, immutable")
	c.Data(http.StatusOK, ct, data)
}

// pages holds every page template, each parsed with its layout once at start-up.
type pages struct {
	t map[string]*template.Template
}

func loadPages(funcs template.FuncMap) (*pages, error) {
	p := &pages{t: map[string]*template.Template{}}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		base := path.Base(n)
		if strings.HasPrefix(base, "layout_") || strings.HasPrefix(base, "part_") {
			continue
		}
		t := template.New(base).Funcs(funcs)
		// Every page gets the layouts and partials; the page picks its layout.
		t, err := t.ParseFS(templateFS, "templates/layout_*.html", "templates/part_*.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", n, err)
		}
		p.t[strings.TrimSuffix(base, ".html")] = t
	}
	return p, nil
}

// prefs are the reader's display preferences, kept in a cookie so they
// persist across pages without JavaScript.
type prefs struct {
	LargeText    bool
	HighContrast bool
}

const prefsCookie = "gk_prefs"

func readPrefs(c *gin.Context) prefs {
	v, _ := c.Cookie(prefsCookie)
	return prefs{LargeText: strings.Contains(v, "large"), HighContrast: strings.Contains(v, "contrast")}
}

// view is what every page template receives.
type view struct {
	Title       string
	Site        siteInfo
	Prefs       prefs
	Path        string
	ReturnTo    string
	Asset       map[string]string
	Nav         string // the active top-level section
	Data        any
	Version     string
	Attribution string
	Now         time.Time
}

type siteInfo struct {
	Name   string // e.g. 韶关市工业和信息化局
	Office string
}

func (h *Handler) site() siteInfo {
	if h.Service == nil {
		return siteInfo{Name: "政府信息公开"}
	}
	s := h.Service.Settings
	return siteInfo{Name: s.Agency.Name, Office: s.Guide.Office}
}

// render writes a page with the given status.
func (h *Handler) render(c *gin.Context, status int, page, title, nav string, data any) {
	v := view{
		Title: title, Site: h.site(), Prefs: readPrefs(c), Path: c.Request.URL.Path,
		ReturnTo: c.Request.URL.RequestURI(), Asset: h.assets.url, Nav: nav, Data: data,
		Version: h.Version, Attribution: h.Attribution, Now: time.Now(),
	}
	h.writePage(c, status, page, v, "no-cache")
}

// writePage executes a page template with its view and writes it. The page
// is rendered into a buffer first, so a template error never leaves half a
// page behind a 200.
func (h *Handler) writePage(c *gin.Context, status int, page string, v any, cacheControl string) {
	t, ok := h.pages.t[page]
	if !ok {
		h.fail(c, catalogue.Errorf(catalogue.EINTERNAL, "页面模板 %s 不存在", page))
		return
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, page+".html", v); err != nil {
		h.Log.Error("render page", "page", page, "err", err)
		c.String(http.StatusInternalServerError, "页面生成出错，请稍后再试。")
		return
	}
	c.Header("Cache-Control", cacheControl)
	c.Data(status, "text/html; charset=utf-8", buf.Bytes())
}

// errorPage shows an error as a page of the public layout.
func (h *Handler) errorPage(c *gin.Context, status int, message string) {
	title := http.StatusText(status)
	switch status {
	case http.StatusNotFound:
		title = "页面不存在"
	case http.StatusGone:
		title = "信息已撤回"
	case http.StatusBadRequest:
		title = "请求有误"
	case http.StatusServiceUnavailable:
		title = "服务暂不可用"
	case http.StatusRequestEntityTooLarge:
		title = "上传内容过大"
	case http.StatusForbidden:
		title = "无权访问"
	case http.StatusConflict:
		title = "操作冲突"
	case http.StatusTooManyRequests:
		title = "请求过于频繁"
	case http.StatusInternalServerError:
		title = "服务器出错"
	}
	h.render(c, status, "error", title, "", gin.H{"Status": status, "Message": message})
	c.Abort()
}
