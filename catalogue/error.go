package catalogue

import (
	"errors"
	"fmt"
)

// Error codes. Each maps to one HTTP status in the web package; they are the
// only vocabulary the domain uses to say what went wrong.
const (
	EINVALID      = "invalid"      // the input breaks a rule; Message says which
	EUNAUTHORIZED = "unauthorized" // no valid session
	EFORBIDDEN    = "forbidden"    // this role or section may not do this
	ENOTFOUND     = "not_found"    // no such thing, or not visible to the caller
	ECONFLICT     = "conflict"     // the state changed underneath, or the action does not fit the state
	EGONE         = "gone"         // withdrawn
	ETOOLARGE     = "too_large"    // an upload or query over its limit
	ERATELIMIT    = "rate_limited" // too many attempts
	EUNAVAILABLE  = "unavailable"  // the object store or index cannot be reached
	EINTERNAL     = "internal"     // a bug or an unexpected failure
)

// Error is the domain error: a code for programs and a message for people.
// Messages are Chinese because they are shown to users as they are.
type Error struct {
	Code    string
	Message string
	// Field names the input the message is about by its JSON and form name
	// (title, formed_at, …), so that a form can show the message next to
	// it; empty when the message is about the request as a whole.
	Field string
	Err   error // the cause, logged but never shown
}

func (e *Error) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%s: %s: %v", e.Code, e.Message, e.Err)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

func (e *Error) Unwrap() error { return e.Err }

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// FieldErrorf returns an EINVALID *Error about one input field. Checks that
// find several problems return them together with errors.Join: ErrorCode
// and ErrorMessage then give the first, FieldErrors all of them.
func FieldErrorf(field, format string, args ...any) *Error {
	return &Error{Code: EINVALID, Message: fmt.Sprintf(format, args...), Field: field}
}

// FieldErrors returns, by field, the message of every *Error in err's tree
// that names a field (the first one for each field). Messages about no
// field are left out.
func FieldErrors(err error) map[string]string {
	out := map[string]string{}
	var walk func(error)
	walk = func(err error) {
		switch x := err.(type) {
		case nil:
		case *Error:
			if _, seen := out[x.Field]; x.Field != "" && !seen {
				out[x.Field] = x.Message
			}
		case interface{ Unwrap() []error }:
			for _, e := range x.Unwrap() {
				walk(e)
			}
		case interface{ Unwrap() error }:
			walk(x.Unwrap())
		}
	}
	walk(err)
	return out
}

// WrapError returns an *Error with the code and message that keeps err as its cause.
func WrapError(code, message string, err error) *Error {
	return &Error{Code: code, Message: message, Err: err}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for
// any other non-nil error, and "" for nil.
func ErrorCode(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; errors without one get
// a generic message so internal details never reach a user.
func ErrorMessage(err error) string {
	if err == nil {
		return ""
	}
	var e *Error
	if errors.As(err, &e) {
		return e.Message
	}
	return "服务器内部错误，请稍后再试。"
}
