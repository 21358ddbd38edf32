package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"gongkai/catalogue"
)

// publish drafts an entry as drafter and takes it through the chain to
// published.
func (f *workflowFixture) publish(t *testing.T, fields map[string]any) staffEntry {
	t.Helper()
	e := f.create(t, "drafter", fields)
	f.mustAct(t, "drafter", e.ID, "submit", nil)
	f.mustAct(t, "chief", e.ID, "approve", nil)
	f.mustAct(t, "leader", e.ID, "approve", nil)
	return f.mustAct(t, "office", e.ID, "publish", nil)
}

// publicEntry reads the public API's record of an entry.
func (f *workflowFixture) publicEntry(t *testing.T, id string) (int, entryJSON) {
	t.Helper()
	resp, data := f.Do(t, http.MethodGet, "/api/v1/entries/"+id, staffReq{})
	var e entryJSON
	if resp.StatusCode == http.StatusOK {
		mustJSON(t, data, &e)
	}
	return resp.StatusCode, e
}

// searchIDs returns the ids public search finds for q.
func (f *workflowFixture) searchIDs(t *testing.T, q string) []string {
	t.Helper()
	_, data := f.Do(t, http.MethodGet, "/api/v1/search?size=100&q="+url.QueryEscape(q), staffReq{})
	var res searchJSON
	mustJSON(t, data, &res)
	return hitIDs(res.Hits)
}

func TestReviseAndReplace(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *workflowFixture) {
		const oldText, newText = "旧版独有文字SUPERSEDEDX1", "新版独有文字REVISEDY2"
		a := f.publish(t, map[string]any{"title": "关于印发《变更测试办法》的通知", "body": "第一条 " + oldText})
		// A change goes through the chain while the public keeps version 1.
		f.refused(t, "otherdrafter", a.ID, "revise", map[string]string{"comment": "x"}, http.StatusForbidden)
		f.refused(t, "drafter", a.ID, "revise", nil, http.StatusBadRequest) // needs a change note
		r := f.mustAct(t, "drafter", a.ID, "revise", map[string]string{"comment": "更正第一条的表述"})
		if r.Status != "draft" || r.Deadline != "2026-12-18" {
			t.Errorf("revising: status %s deadline %s, want draft and 2026-12-18 (20 working days from the change)", r.Status, r.Deadline)
		}
		resp, data := f.Do(t, http.MethodPut, "/api/v1/admin/entries/"+a.ID, staffReq{Bearer: f.as(t, "drafter"), JSON: map[string]any{
			"title": "关于印发《变更测试办法》的通知", "formed_at": "2026-11-16", "body": "第一条 " + newText, "attribute": "主动公开", "summary": "变更后的概述",
		}})
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("edit the change: %d %s", resp.StatusCode, data)
		}
		if code, pub := f.publicEntry(t, a.ID); code != http.StatusOK || pub.Version != 1 || !strings.Contains(pub.Body, oldText) {
			t.Errorf("during the change the public sees %d version %d", code, pub.Version)
		}
		if ids := f.searchIDs(t, newText); len(ids) != 0 {
			t.Errorf("the unpublished change is searchable: %v", ids)
		}
		f.mustAct(t, "drafter", a.ID, "submit", nil)
		f.mustAct(t, "chief", a.ID, "approve", nil)
		// A change may not quietly stop the disclosure.
		f.refused(t, "leader", a.ID, "approve", map[string]string{"attribute": "依申请公开"}, http.StatusConflict)
		f.mustAct(t, "leader", a.ID, "approve", nil)
		f.mustAct(t, "office", a.ID, "publish", nil)

		code, pub := f.publicEntry(t, a.ID)
		if code != http.StatusOK || pub.Version != 2 || len(pub.Versions) != 2 || pub.Versions[1].Note != "更正第一条的表述" {
			t.Fatalf("after the change: %d version %d versions %+v", code, pub.Version, pub.Versions)
		}
		if pub.IndexNo != a.IndexNo {
			t.Errorf("the 索引号 changed with the version: %s → %s", a.IndexNo, pub.IndexNo)
		}
		if strings.Contains(pub.Body, oldText) || !strings.Contains(pub.Body, newText) {
			t.Errorf("the public body is not the current version's")
		}
		if ids := f.searchIDs(t, oldText); len(ids) != 0 {
			t.Errorf("text only in the superseded version is still searchable: %v", ids)
		}
		if ids := f.searchIDs(t, newText); len(ids) != 1 || ids[0] != a.ID {
			t.Errorf("search for the new text: %v", ids)
		}
		_, page := f.publicGet(t, "/entries/"+a.ID)
		if !strings.Contains(page, "更新于") || !strings.Contains(page, "/entries/"+a.ID+"/versions/1") || strings.Contains(page, oldText) {
			t.Errorf("the entry page does not show the update and the version list, or shows old text")
		}
		// The earlier version stays openable, marked as such.
		code, page = f.publicGet(t, "/entries/"+a.ID+"/versions/1")
		if code != http.StatusOK || !strings.Contains(page, oldText) || !strings.Contains(page, "已被更新") {
			t.Errorf("earlier version page: %d", code)
		}
		// The current version under /versions/ is the entry page itself.
		if resp, _ := f.Do(t, http.MethodGet, "/entries/"+a.ID+"/versions/2", staffReq{}); resp.StatusCode != http.StatusFound || resp.Header.Get("Location") != "/entries/"+a.ID {
			t.Errorf("the current version under /versions/: %d to %q, want 302 to the entry page", resp.StatusCode, resp.Header.Get("Location"))
		}
		// The API answers it as the entry now is, listed among its versions.
		if code, body := f.publicGet(t, "/api/v1/entries/"+a.ID+"/versions/2"); code != http.StatusOK ||
			!strings.Contains(body, newText) || strings.Contains(body, oldText) || !strings.Contains(body, `"current_version":2`) {
			t.Errorf("the current version in the API's versions: %d %s, want 200 with the current text", code, body)
		}
		if code, body := f.publicGet(t, "/entries/"+a.ID+"/versions/3"); code != http.StatusNotFound || !strings.Contains(body, "没有第 3 版") {
			t.Errorf("a version to come: %d, want 404 没有第 3 版", code)
		}
		if code, body := f.publicGet(t, "/api/v1/entries/"+a.ID+"/versions/1"); code != http.StatusOK || !strings.Contains(body, oldText) {
			t.Errorf("earlier version API: %d", code)
		}

		// Replacement: the new entry, once published, makes the old one 废止.
		resp, data = f.Do(t, http.MethodPost, "/api/v1/admin/entries", staffReq{Bearer: f.as(t, "drafter"), JSON: map[string]any{
			"title": "替代测试", "formed_at": "2026-11-16", "body": "x", "replaces": "no-such-entry"}})
		if resp.StatusCode != http.StatusBadRequest {
			t.Errorf("replacing a missing entry: %d %s", resp.StatusCode, data)
		}
		b := f.publish(t, map[string]any{"title": "关于印发《变更测试办法（2026年修订）》的通知", "body": "修订后的办法全文",
			"replaces": a.ID, "replace_validity": "废止"})
		code, old := f.publicEntry(t, a.ID)
		if code != http.StatusOK || old.Validity != "废止" || old.ReplacedBy != b.ID || old.Version != 3 {
			t.Errorf("the replaced entry: %d validity %q replaced_by %q version %d", code, old.Validity, old.ReplacedBy, old.Version)
		}
		_, data = f.Do(t, http.MethodGet, "/api/v1/entries/"+b.ID, staffReq{})
		if !strings.Contains(string(data), `"replaces":"`+a.ID+`"`) {
			t.Errorf("the new entry does not link back: %s", data)
		}
		_, page = f.publicGet(t, "/entries/"+a.ID)
		if !strings.Contains(page, "/entries/"+b.ID) {
			t.Errorf("the old entry's page does not link to the new one")
		}
		// Its trail names who published the replacement, in Chinese.
		if trail := f.get(t, "office", a.ID).Audit; trail[len(trail)-1].Action != "replaced" || trail[len(trail)-1].Role != "office" {
			t.Errorf("the replaced entry's last trail event: %+v", trail[len(trail)-1])
		}
		if _, staffPage := f.page(t, "office", http.MethodGet, "/admin/entries/"+a.ID, nil, nil); strings.Contains(staffPage, "<td>system</td>") {
			t.Errorf("the replaced entry's trail shows the role code system")
		}
		resp, _ = f.Do(t, http.MethodPost, "/api/v1/admin/entries", staffReq{Bearer: f.as(t, "drafter"), JSON: map[string]any{
			"title": "再次替代", "formed_at": "2026-11-16", "body": "x", "replaces": a.ID}})
		if resp.StatusCode != http.StatusConflict {
			t.Errorf("replacing an entry already replaced: %d, want 409", resp.StatusCode)
		}
	})
}

func TestWithdraw(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *workflowFixture) {
		notice := f.publish(t, map[string]any{"title": "关于撤回测试的通知", "body": "撤回测试正文 WDNOTICE3"})
		hidden := f.publish(t, map[string]any{"title": "含有张三身份证号的名单公示", "body": "名单 WDHIDDEN4"})
		att := f.create(t, "drafter", map[string]any{"title": "带附件的撤回测试", "body": "附件测试"})
		att = f.upload(t, att.ID, "drafter", map[string]string{"名单.txt": "附件内容 WDFILE5"})
		f.mustAct(t, "drafter", att.ID, "submit", nil)
		f.mustAct(t, "chief", att.ID, "approve", nil)
		f.mustAct(t, "leader", att.ID, "approve", nil)
		f.mustAct(t, "office", att.ID, "publish", nil)
		fileURL := "/files/" + att.ID + "/" + att.Attachments[0].SHA256
		if code, _ := f.publicGet(t, fileURL); code != http.StatusOK {
			t.Fatalf("the published file: %d", code)
		}

		f.refused(t, "drafter", notice.ID, "withdraw", map[string]string{"reason": "发布错误"}, http.StatusForbidden)
		f.refused(t, "office", notice.ID, "withdraw", nil, http.StatusBadRequest)
		f.refused(t, "office", notice.ID, "withdraw", map[string]string{"reason": "other"}, http.StatusBadRequest) // 其他 needs text
		draft := f.create(t, "drafter", nil)
		f.refused(t, "office", draft.ID, "withdraw", map[string]string{"reason": "发布错误"}, http.StatusConflict)

		w := f.mustAct(t, "office", notice.ID, "withdraw", map[string]string{"reason": "发布错误", "comment": "文号有误"})
		if w.Status != "withdrawn" {
			t.Fatalf("status %s", w.Status)
		}
		// A notice with title, date and reason: 410.
		resp, data := f.Do(t, http.MethodGet, "/api/v1/entries/"+notice.ID, staffReq{})
		var gone withdrawnJSON
		mustJSON(t, data, &gone)
		if resp.StatusCode != http.StatusGone || gone.Withdrawn == nil || gone.Withdrawn.Reason != "发布错误" || gone.Withdrawn.At != "2026-11-20" ||
			!strings.Contains(string(data), "关于撤回测试的通知") || strings.Contains(string(data), "WDNOTICE3") {
			t.Errorf("withdrawn entry API: %d %s", resp.StatusCode, data)
		}
		code, page := f.publicGet(t, "/entries/"+notice.ID)
		if code != http.StatusGone || !strings.Contains(page, "已撤回") || !strings.Contains(page, "发布错误") {
			t.Errorf("withdrawn entry page: %d", code)
		}
		// Personal information: no trace at all, like an id that never existed.
		f.mustAct(t, "office", hidden.ID, "withdraw", map[string]string{"reason": "personal_information"})
		f.mustAct(t, "office", att.ID, "withdraw", map[string]string{"reason": "含个人信息"})
		assertNoPublicTrace(t, f, []string{hidden.ID, att.ID}, []string{"含有张三身份证号的名单公示", "WDHIDDEN4", "WDFILE5", "带附件的撤回测试"})
		if code, _ := f.publicGet(t, fileURL); code != http.StatusNotFound {
			t.Errorf("the withdrawn entry's file: %d, want 404", code)
		}
		// Gone from search, the catalogue, the feed and the sitemap at once.
		for _, p := range []string{"/api/v1/search?q=WDNOTICE3", "/api/v1/catalogue?size=100", "/feed.atom", "/sitemap.xml", "/catalogue"} {
			if _, body := f.publicGet(t, p); strings.Contains(body, notice.ID) {
				t.Errorf("%s still lists the withdrawn entry", p)
			}
		}
		// The original stays in the internal store with its trail.
		got := f.get(t, "office", hidden.ID)
		if got.Status != "withdrawn" || got.Audit[len(got.Audit)-1].Action != "withdraw" || got.Title != "含有张三身份证号的名单公示" {
			t.Errorf("internal record after withdrawal: %+v", got)
		}
		f.refused(t, "office", hidden.ID, "withdraw", map[string]string{"reason": "发布错误"}, http.StatusConflict)
	})
}

// TestLeaks puts canaries where the public must never see them: a
// withheld entry, a draft, a 依申请公开 entry, an entry withdrawn for
// personal information, and text only in a superseded version; then checks
// every public response.
func TestLeaks(t *testing.T) {
	forEachStore(t, func(t *testing.T, f *workflowFixture) {
		canary := map[string]string{
			"withheld": "LEAKWITHHELD7", "draft": "LEAKDRAFT8", "onrequest": "LEAKONREQ9",
			"pi": "LEAKPI10", "superseded": "LEAKOLDVER11",
		}
		withheld := f.create(t, "drafter", map[string]any{"title": "内部请示 " + canary["withheld"], "body": canary["withheld"],
			"attribute": "不予公开", "withhold_reason": "process_information", "organ": "机关" + canary["withheld"]})
		f.mustAct(t, "drafter", withheld.ID, "submit", nil)
		f.mustAct(t, "chief", withheld.ID, "approve", nil)
		f.mustAct(t, "leader", withheld.ID, "approve", nil)
		f.mustAct(t, "office", withheld.ID, "archive", nil)
		draft := f.create(t, "drafter", map[string]any{"title": "草稿 " + canary["draft"], "body": canary["draft"], "category": "分类" + canary["draft"]})
		onreq := f.create(t, "drafter", map[string]any{"title": "批复 " + canary["onrequest"], "body": canary["onrequest"], "attribute": "依申请公开"})
		f.mustAct(t, "drafter", onreq.ID, "submit", nil)
		f.mustAct(t, "chief", onreq.ID, "approve", nil)
		f.mustAct(t, "leader", onreq.ID, "approve", nil)
		f.mustAct(t, "office", onreq.ID, "archive", nil)
		pi := f.publish(t, map[string]any{"title": "名单 " + canary["pi"], "body": canary["pi"], "topic": "主题" + canary["pi"]})
		f.mustAct(t, "office", pi.ID, "withdraw", map[string]string{"reason": "personal_information"})
		old := f.publish(t, map[string]any{"title": "修订测试", "body": "旧 " + canary["superseded"]})
		f.mustAct(t, "drafter", old.ID, "revise", map[string]string{"comment": "删去旧内容"})
		f.Do(t, http.MethodPut, "/api/v1/admin/entries/"+old.ID, staffReq{Bearer: f.as(t, "drafter"), JSON: map[string]any{
			"title": "修订测试", "formed_at": "2026-11-16", "body": "新内容", "attribute": "主动公开", "summary": "概述"}})
		f.mustAct(t, "drafter", old.ID, "submit", nil)
		f.mustAct(t, "chief", old.ID, "approve", nil)
		f.mustAct(t, "leader", old.ID, "approve", nil)
		f.mustAct(t, "office", old.ID, "publish", nil)

		// Staff can find each canary, so the checks below can fail.
		for name, c := range canary {
			_, data := f.Do(t, http.MethodGet, "/api/v1/admin/entries?q="+c, staffReq{Bearer: f.as(t, "office")})
			if name != "superseded" && !strings.Contains(string(data), `"total":1`) {
				t.Errorf("staff search does not find the %s canary: %s", name, data)
			}
		}
		var secrets []string
		for _, c := range canary {
			secrets = append(secrets, c)
		}
		assertNoPublicTrace(t, f, []string{withheld.ID, draft.ID, onreq.ID, pi.ID}, secrets)
		// The revised entry is public, but not its superseded text, except
		// on its own earlier-version page.
		if ids := f.searchIDs(t, canary["superseded"]); len(ids) != 0 {
			t.Errorf("search finds text only in a superseded version: %v", ids)
		}
		for _, p := range []string{"/entries/" + old.ID, "/api/v1/entries/" + old.ID, "/feed.atom", "/catalogue", "/sitemap.xml"} {
			if _, body := f.publicGet(t, p); strings.Contains(body, canary["superseded"]) && !strings.Contains(p, canary["superseded"]) {
				t.Errorf("%s shows text of a superseded version", p)
			}
		}
		// Guessed ids: ids of the right shape that were never issued.
		for _, id := range []string{catalogue.NewEntryID(), "0000000000000000000a", "../internal/entries"} {
			if code, _ := f.publicGet(t, "/api/v1/entries/"+url.PathEscape(id)); code != http.StatusNotFound {
				t.Errorf("guessed id %s: %d", id, code)
			}
		}
		// And after a restart (reconcile and rebuild), still nothing.
		ctx := context.Background()
		if _, err := f.Service.Reconcile(ctx); err != nil {
			t.Fatal(err)
		}
		if err := f.PublicIndex.Clear(); err != nil {
			t.Fatal(err)
		}
		if _, err := f.PublicIndex.RebuildPublic(ctx, f.Public); err != nil {
			t.Fatal(err)
		}
		assertNoPublicTrace(t, f, []string{withheld.ID, draft.ID, onreq.ID, pi.ID}, secrets)
	})
}

// TestChangeGuards: a change may not quietly stop a disclosure, another
// section may not replace an entry, and a replacement survives a change
// of the old entry that was under review at the time.
func TestChangeGuards(t *testing.T) {
	f := newFSWorkflow(t)
	a := f.publish(t, map[string]any{"title": "关于变更守护测试的通知"})
	f.mustAct(t, "drafter", a.ID, "revise", map[string]string{"comment": "修改正文"})
	resp, data := f.Do(t, http.MethodPut, "/api/v1/admin/entries/"+a.ID, staffReq{Bearer: f.as(t, "drafter"), JSON: map[string]any{
		"title": "关于变更守护测试的通知", "formed_at": "2026-11-16", "body": "x", "summary": "y",
		"attribute": "不予公开", "withhold_reason": "internal_affairs"}})
	if resp.StatusCode != http.StatusConflict {
		t.Errorf("withholding during a change by editing: %d %s", resp.StatusCode, data)
	}
	resp, data = f.Do(t, http.MethodPost, "/api/v1/admin/entries", staffReq{Bearer: f.as(t, "otherdrafter"), JSON: map[string]any{
		"title": "跨科室替代", "formed_at": "2026-11-16", "body": "x", "replaces": a.ID}})
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("another section replaces the entry: %d %s", resp.StatusCode, data)
	}
	// The old entry has a change under review when its replacement is
	// published; publishing that change later keeps it 废止.
	r := f.publish(t, map[string]any{"title": "替代测试（修订）", "replaces": a.ID, "replace_validity": "废止"})
	f.mustAct(t, "drafter", a.ID, "submit", nil)
	f.mustAct(t, "chief", a.ID, "approve", nil)
	f.mustAct(t, "leader", a.ID, "approve", nil)
	f.mustAct(t, "office", a.ID, "publish", nil)
	code, pub := f.publicEntry(t, a.ID)
	if code != http.StatusOK || pub.Validity != "废止" || pub.ReplacedBy != r.ID {
		t.Errorf("after publishing the change of a replaced entry: validity %q replaced_by %q", pub.Validity, pub.ReplacedBy)
	}
}
