package web

import (
	"context"
	"net/http"
	"time"

	"github.com/gin-gonic/gin"
)

// healthz says the process is up; it checks nothing else.
func (h *Handler) healthz(c *gin.Context) {
	c.JSON(http.StatusOK, gin.H{"status": "ok", "version": h.Version})
}

// readyz says whether the store and the index can serve requests.
func (h *Handler) readyz(c *gin.Context) {
	if h.Ready == nil {
		c.JSON(http.StatusOK, gin.H{"status": "ready"})
		return
	}
	ctx, cancel := context.WithTimeout(c.Request.Context(), 3*time.Second)
	defer cancel()
	if err := h.Ready(ctx); err != nil {
		h.Log.Warn("not ready", "err", err)
		c.JSON(http.StatusServiceUnavailable, gin.H{"status": "unavailable", "error": gin.H{"code": "unavailable", "message": "服务暂不可用：存储或索引无法访问"}})
		return
	}
	c.JSON(http.StatusOK, gin.H{"status": "ready"})
}
