package web

import (
	"slices"

	"github.com/gin-gonic/gin"

	"gongkai/catalogue"
	"gongkai/search"
)

// dashboardData is what a staff member's dashboard shows.
type dashboardData struct {
	Tasks        []search.Hit // waiting for the caller's action
	DueSoon      []search.Hit // publish-by date within dueSoonWorkingDays
	Overdue      []search.Hit // publish-by date passed, not yet published
	Counts       map[string]uint64
	Total        uint64
	StatusRows   []statusCount
	MissingYears []int // years the deadlines run into without calendar data
	SoonUntil    catalogue.Date
}

type statusCount struct {
	Status catalogue.Status
	Label  string
	Count  uint64
}

// dashboardListSize bounds each list of the dashboard; the lists link to
// the full search.
const dashboardListSize = 50

// taskFilters are the staff-index filters of what waits for each role.
// Section roles see only their section; kinds the section may not publish
// are dropped afterwards.
func taskFilters(actor catalogue.Actor) []search.Filters {
	switch actor.Role {
	case catalogue.RoleDrafter:
		return []search.Filters{{Status: string(catalogue.StatusDraft), Section: actor.Section}}
	case catalogue.RoleSectionChief:
		return []search.Filters{
			{Status: string(catalogue.StatusSectionReview), Section: actor.Section},
			{Status: string(catalogue.StatusApproved), Section: actor.Section, Attribute: string(catalogue.Proactive)},
		}
	case catalogue.RoleLeader:
		return []search.Filters{{Status: string(catalogue.StatusLeaderReview)}}
	case catalogue.RoleOffice:
		return []search.Filters{{Status: string(catalogue.StatusSecrecyReview)}, {Status: string(catalogue.StatusApproved)}}
	}
	return nil
}

func (h *Handler) dashboard(c *gin.Context) (*dashboardData, error) {
	ctx := c.Request.Context()
	actor := catalogue.ActorOf(currentStaff(c).User)
	scope := search.Filters{}
	if actor.Role.NeedsSection() {
		scope.Section = actor.Section
	}
	list := func(f search.Filters, sort string) ([]search.Hit, error) {
		res, err := h.StaffIndex.Search(ctx, search.Query{Filters: f, Sort: sort, Page: 1, Size: dashboardListSize})
		if err != nil {
			return nil, err
		}
		return res.Hits, nil
	}
	d := &dashboardData{}
	for _, f := range taskFilters(actor) {
		hits, err := list(f, search.SortDate)
		if err != nil {
			return nil, err
		}
		for _, hit := range hits {
			if actor.Role == catalogue.RoleSectionChief && hit.Status == string(catalogue.StatusApproved) &&
				!catalogue.Kind(hit.Kind).PublishedBySection() {
				continue // the office publishes 公文类
			}
			d.Tasks = append(d.Tasks, hit)
		}
	}
	today := h.Service.Today()
	soon, _ := h.Service.Calendar.AddWorkingDays(today, dueSoonWorkingDays)
	d.SoonUntil = soon
	f := scope
	f.DueFrom, f.DueTo = today, soon
	var err error
	if d.DueSoon, err = list(f, search.SortDue); err != nil {
		return nil, err
	}
	f = scope
	f.DueTo = today.AddDays(-1)
	if d.Overdue, err = list(f, search.SortDue); err != nil {
		return nil, err
	}
	if d.Counts, d.Total, err = h.StaffIndex.CountByStatus(ctx, scope); err != nil {
		return nil, err
	}
	for _, s := range catalogue.Statuses {
		d.StatusRows = append(d.StatusRows, statusCount{s, s.Label(), d.Counts[string(s)]})
	}
	// Deadlines of entries formed now reach about two months ahead.
	d.MissingYears = h.Service.Calendar.MissingYears(today, today.AddDays(90))
	for _, hit := range slices.Concat(d.Tasks, d.DueSoon) {
		if !hit.DueAt.IsZero() {
			for _, y := range h.Service.Calendar.MissingYears(hit.DueAt, hit.DueAt) {
				if !slices.Contains(d.MissingYears, y) {
					d.MissingYears = append(d.MissingYears, y)
				}
			}
		}
	}
	slices.Sort(d.MissingYears)
	return d, nil
}
