package storage

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"gongkai/catalogue"
)

// Applications keeps applications for disclosure and the staff-entered
// parts of annual reports under internal/, out of the public side's reach.
type Applications struct {
	b Bucket
}

// NewApplications returns the application store on b.
func NewApplications(b Bucket) *Applications { return &Applications{b: b} }

var (
	_ catalogue.ApplicationStore = (*Applications)(nil)
	_ catalogue.ReportStore      = (*Applications)(nil)
)

const (
	applicationsPrefix = "internal/applications/"
	reportsPrefix      = "internal/reports/"
)

func applicationKey(id string) string { return applicationsPrefix + id + ".json" }

// Application implements catalogue.ApplicationStore.
func (s *Applications) Application(ctx context.Context, id string) (*catalogue.Application, error) {
	id = strings.ToLower(strings.TrimSpace(id)) // tracking codes are typed in either case
	if !ValidID(id) {
		return nil, notFound("申请")
	}
	var a catalogue.Application
	info, err := getJSON(ctx, s.b, applicationKey(id), &a)
	if errors.Is(err, ErrNotFound) {
		return nil, notFound("申请")
	}
	if err != nil {
		return nil, domainError("get application", err)
	}
	a.Revision = info.ETag
	return &a, nil
}

// CreateApplication implements catalogue.ApplicationStore.
func (s *Applications) CreateApplication(ctx context.Context, a *catalogue.Application) error {
	if !ValidID(a.ID) {
		return catalogue.Errorf(catalogue.EINVALID, "申请编号 %q 不合法", a.ID)
	}
	info, err := putJSON(ctx, s.b, applicationKey(a.ID), a, PutOptions{IfAbsent: true})
	if err != nil {
		return domainError("create application", err)
	}
	a.Revision = info.ETag
	return nil
}

// UpdateApplication implements catalogue.ApplicationStore.
func (s *Applications) UpdateApplication(ctx context.Context, a *catalogue.Application) error {
	info, err := putJSON(ctx, s.b, applicationKey(a.ID), a, PutOptions{IfMatch: a.Revision})
	if err != nil {
		return domainError("update application", err)
	}
	a.Revision = info.ETag
	return nil
}

// ListApplications implements catalogue.ApplicationStore.
func (s *Applications) ListApplications(ctx context.Context, fn func(*catalogue.Application) error) error {
	return listJSON(ctx, s.b, applicationsPrefix, func(info ObjectInfo, a *catalogue.Application) error {
		a.Revision = info.ETag
		return fn(a)
	})
}

// ReportInputs implements catalogue.ReportStore.
func (s *Applications) ReportInputs(ctx context.Context, year int) (*catalogue.ReportInputs, error) {
	var r catalogue.ReportInputs
	_, err := getJSON(ctx, s.b, reportsPrefix+strconv.Itoa(year)+".json", &r)
	if errors.Is(err, ErrNotFound) {
		return nil, notFound("年度报告")
	}
	if err != nil {
		return nil, domainError("get report", err)
	}
	return &r, nil
}

// PutReportInputs implements catalogue.ReportStore.
func (s *Applications) PutReportInputs(ctx context.Context, r *catalogue.ReportInputs) error {
	_, err := putJSON(ctx, s.b, reportsPrefix+strconv.Itoa(r.Year)+".json", r, PutOptions{})
	return domainError("put report", err)
}
