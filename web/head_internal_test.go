package web

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/gin-gonic/gin"
)

// TestHeadRoutedAsGetAnsweredAsHead: a HEAD reaches the GET routes, and a
// handler that must not read a body for it (a download) can tell.
func TestHeadRoutedAsGetAnsweredAsHead(t *testing.T) {
	h := &Handler{engine: gin.New()}
	var routed, sent string
	h.engine.GET("/x", func(c *gin.Context) {
		routed, sent = c.Request.Method, asSent(c.Request).Method
	})
	for _, method := range []string{http.MethodHead, http.MethodGet} {
		routed, sent = "", ""
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(method, "/x", nil))
		if routed != http.MethodGet || sent != method {
			t.Errorf("%s: routed as %q, sent as %q", method, routed, sent)
		}
	}
}
