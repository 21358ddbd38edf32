package storage

import (
	"bytes"
	"context"
	"errors"
	"io"

	"gongkai/catalogue"
)

// Keys of the configuration that staff edit at run time. Until they first
// save, the embedded defaults apply.
const (
	settingsKey = "internal/config/settings.json"
	calendarKey = "internal/config/calendar.json"
)

// LoadConfiguration reads the agency's settings and working-day calendar
// from the store, falling back to the embedded defaults for either one that
// was never saved.
func LoadConfiguration(ctx context.Context, b Bucket) (catalogue.Settings, *catalogue.Calendar, error) {
	settings := catalogue.DefaultSettings()
	data, err := readAll(ctx, b, settingsKey)
	switch {
	case err == nil:
		if settings, err = catalogue.ParseSettings(data); err != nil {
			return settings, nil, err
		}
	case !errors.Is(err, ErrNotFound):
		return settings, nil, domainError("read settings", err)
	}
	calendar := catalogue.DefaultCalendar()
	data, err = readAll(ctx, b, calendarKey)
	switch {
	case err == nil:
		if calendar, err = catalogue.ParseCalendar(data); err != nil {
			return settings, nil, err
		}
	case !errors.Is(err, ErrNotFound):
		return settings, nil, domainError("read calendar", err)
	}
	return settings, calendar, nil
}

// SaveCalendar stores an edited working-day calendar.
func SaveCalendar(ctx context.Context, b Bucket, c *catalogue.Calendar) error {
	data, err := c.MarshalJSON()
	if err != nil {
		return err
	}
	_, err = b.Put(ctx, calendarKey, bytes.NewReader(data), int64(len(data)), PutOptions{ContentType: "application/json"})
	return domainError("save calendar", err)
}

func readAll(ctx context.Context, b Bucket, key string) ([]byte, error) {
	rc, _, err := b.Get(ctx, key)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}
