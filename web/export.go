package web

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"time"

	"github.com/gin-gonic/gin"

	"gongkai/search"
)

// MaxExportRows is the most rows a CSV export of a result list holds.
const MaxExportRows = 10000

// exportCSV answers /export.csv with the same parameters as the search:
// the result list (up to MaxExportRows rows) as CSV in UTF-8 with a byte
// order mark, so that spreadsheet software opens the Chinese correctly.
func (h *Handler) exportCSV(c *gin.Context) {
	q, err := parseQuery(c)
	if err != nil {
		h.fail(c, err)
		return
	}
	q.Page, q.Size, q.Export, q.Facets, q.Highlight = 1, MaxExportRows, MaxExportRows, false, false
	if q.Sort == "" && q.Text == "" {
		q.Sort = search.SortDate
	}
	res, err := h.PublicIndex.Search(c.Request.Context(), q)
	if err != nil {
		h.fail(c, err)
		return
	}
	name := "政府信息公开目录-" + time.Now().In(chinaTime).Format("20060102") + ".csv"
	c.Header("Content-Type", "text/csv; charset=utf-8")
	c.Header("Content-Disposition", "attachment; filename=\"export.csv\"; filename*=UTF-8''"+url.PathEscape(name))
	c.Header("Cache-Control", "no-cache")
	c.Status(http.StatusOK)
	c.Writer.WriteString("\ufeff")
	w := csv.NewWriter(c.Writer)
	w.UseCRLF = true // what spreadsheet software expects
	w.Write([]string{"索引号", "名称", "文号", "发布机构", "生成日期", "发布日期", "目录分类", "主题分类", "文种", "有效性", "内容概述", "网址"})
	base := h.baseURL(c)
	for _, hit := range res.Hits {
		w.Write([]string{
			hit.IndexNo, csvSafe(hit.Title), csvSafe(hit.DocNo), csvSafe(hit.Organ), hit.FormedAt.String(), hit.PublishedAt.String(),
			csvSafe(hit.Category), csvSafe(hit.Topic), csvSafe(hit.DocType), csvSafe(hit.Validity), csvSafe(hit.Summary), base + entryURL(hit.ID),
		})
	}
	w.Flush()
	if err := w.Error(); err != nil {
		h.Log.Warn("export interrupted", "err", err)
	}
}

// csvSafe keeps a cell from being read as a formula by spreadsheet
// software (CSV injection): a leading = + - @ gets an apostrophe.
func csvSafe(s string) string {
	if s != "" && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' || s[0] == '\r') {
		return "'" + s
	}
	return s
}
