package web

// routes lists every route of the site in one place.
func (h *Handler) routes() {
	r := h.engine
	r.NoRoute(h.noRoute)
	r.NoMethod(h.noMethod)

	r.GET("/healthz", h.healthz)
	r.GET("/readyz", h.readyz)

	api := r.Group("/api/v1")
	api.GET("/search", h.apiSearch)
	api.GET("/catalogue", h.apiCatalogue)
	api.GET("/entries/:id", h.apiEntry)
	api.GET("/entries/:id/versions/:n", h.apiEntryVersion)

	r.GET("/", h.home)
	r.GET("/catalogue", h.cataloguePage)
	r.GET("/search", h.searchPage)
	r.GET("/entries/:id", h.entryPage)
	r.GET("/entries/:id/versions/:n", h.entryVersionPage)
	r.GET("/files/:id/:sha", h.download)
	r.GET("/feed.atom", h.feed)
	if h.Service != nil {
		r.GET("/guide", h.guidePage)
	}
	if h.Applications != nil && h.Reports != nil && h.Service != nil {
		api.POST("/applications", h.apiApply)
		api.GET("/applications/:code", h.apiApplication)
		api.GET("/reports/:year", h.apiReport)
		r.GET("/apply", h.applyPage)
		r.POST("/apply", h.applySubmit)
		r.GET("/apply/:code", h.applyStatus)
		r.GET("/apply-status", h.applyStatus)
		r.GET("/reports/:year", h.reportPage)
	}
	r.GET("/export.csv", h.exportCSV)
	r.GET("/kiosk", h.kioskHome)
	r.GET("/kiosk/search", h.kioskSearch)
	r.GET("/kiosk/entries/:id", h.kioskEntry)
	r.GET("/kiosk/qr/:id", h.kioskQR)
	r.POST("/kiosk/prefs", h.kioskPrefs)
	r.GET("/sitemap.xml", h.sitemap)
	r.POST("/prefs", h.setPrefs)
	r.GET("/static/*path", h.assets.serve)
	h.staffRoutes()
}
