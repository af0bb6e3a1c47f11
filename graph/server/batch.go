package server

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"net/http"

	"github.com/99designs/gqlgen/graphql"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// batchTransport is a gqlgen transport for batched requests, as Apollo's BatchHttpLink
// sends them: a POST with Content-Type: application/json whose body is a JSON array of
// {query, operationName, variables, extensions} objects.
//
// Being a transport, it runs every operation through the server's own executor, so each
// one gets the same extensions (introspection, persisted queries, depth and complexity
// limits), error presenter and recover function as a single request. Operations run one
// after another, in order, with the request's context (a later mutation sees an earlier
// one's writes).
//
// The answer is HTTP 200 with a JSON array holding one result ({data, errors, extensions})
// per operation, in the request's order: an operation that fails - to parse, to validate,
// over a limit, or in a resolver - has its errors in its own element, and the others are
// unaffected. BatchHttpLink fails every operation of a batch on a non-2xx status, so an
// operation's failure never becomes one.
//
// A malformed batch is refused whole with 400 and a single {errors: [...]} object, since
// nothing ran: a body that is not a JSON array, an empty array, more than MaxBatch
// operations, or an element that is not an operation object. Limits apply per operation,
// so one batch can cost up to MaxBatch times MaxComplexity.
type batchTransport struct {
	maxBatch int // negative: batches are refused
	logger   *slog.Logger
}

var _ graphql.Transport = (*batchTransport)(nil)

// Supports claims JSON POSTs whose body starts with "[". It peeks at the body without
// consuming it: r.Body is replaced by a buffered reader that still yields every byte, so
// the POST transport that is tried next reads the whole body.
func (b *batchTransport) Supports(r *http.Request) bool {
	if r.Method != http.MethodPost || r.Header.Get("Upgrade") != "" {
		return false
	}
	mediaType, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mediaType != "application/json" {
		return false
	}
	c, ok := peekFirstNonSpace(r)
	return ok && c == '['
}

// peekedBody is a request body whose first bytes have been looked at.
type peekedBody struct {
	*bufio.Reader
	io.Closer
}

// peekFirstNonSpace returns the first byte of r's body after JSON whitespace, looking no
// further than the buffer's size (4 KiB).
func peekFirstNonSpace(r *http.Request) (byte, bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return 0, false
	}
	body, ok := r.Body.(*peekedBody)
	if !ok {
		body = &peekedBody{Reader: bufio.NewReader(r.Body), Closer: r.Body}
		r.Body = body
	}
	for n := 1; ; n++ {
		buf, _ := body.Peek(n)
		if len(buf) < n {
			return 0, false // end of body, read error or buffer full: not for us
		}
		switch c := buf[n-1]; c {
		case ' ', '\t', '\n', '\r':
		default:
			return c, true
		}
	}
}

func (b *batchTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		if isTooLarge(err) {
			b.refuse(w, r, http.StatusRequestEntityTooLarge, "PAYLOAD_TOO_LARGE", "request body is too large")
			return
		}
		b.refuse(w, r, http.StatusBadRequest, "BAD_REQUEST", "could not read request body")
		return
	}
	params, msg := b.decode(body)
	if msg != "" {
		b.refuse(w, r, http.StatusBadRequest, "BAD_REQUEST", msg)
		return
	}
	end := graphql.Now()

	results := make([]json.RawMessage, len(params))
	for i, p := range params {
		p.Headers = r.Header
		p.ReadTime = graphql.TraceTiming{Start: start, End: end}
		results[i] = b.marshal(r.Context(), b.execute(r.Context(), exec, p))
	}
	out, err := json.Marshal(results)
	if err != nil {
		// Every element is JSON that marshal produced.
		panic(fmt.Errorf("marshal batch response: %w", err))
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(out)
}

// decode parses a batch, or says why it is malformed.
func (b *batchTransport) decode(body []byte) ([]*graphql.RawParams, string) {
	if b.maxBatch < 0 {
		return nil, "batched requests are disabled"
	}
	var elems []json.RawMessage
	if err := json.Unmarshal(body, &elems); err != nil {
		return nil, "batch request body could not be decoded: " + err.Error()
	}
	if len(elems) == 0 {
		return nil, "batch request contains no operations"
	}
	if len(elems) > b.maxBatch {
		return nil, fmt.Sprintf("batch of %d operations exceeds the limit of %d", len(elems), b.maxBatch)
	}
	params := make([]*graphql.RawParams, len(elems))
	for i, elem := range elems {
		// json.Unmarshal leaves no whitespace around an array element.
		if len(elem) == 0 || elem[0] != '{' {
			return nil, fmt.Sprintf("batch element %d is not an operation object", i)
		}
		dec := json.NewDecoder(bytes.NewReader(elem))
		// As gqlgen's own transports do: numbers stay json.Number until the schema's
		// scalars parse them, so an Int variable is not rounded through float64.
		dec.UseNumber()
		params[i] = &graphql.RawParams{}
		if err := dec.Decode(params[i]); err != nil {
			return nil, fmt.Sprintf("batch element %d could not be decoded: %v", i, err)
		}
	}
	return params, ""
}

// execute runs one operation as the POST transport does, and always returns a response.
func (b *batchTransport) execute(ctx context.Context, exec graphql.GraphExecutor, params *graphql.RawParams) (resp *graphql.Response) {
	// Each operation gets its own trace start, as it would in a request of its own.
	ctx = graphql.StartOperationTrace(ctx)
	// A subscription is refused below, with a message about batches.
	ctx = context.WithValue(ctx, inBatchKey{}, true)
	defer func() {
		// A panic outside a resolver (one inside is recovered by the executor) would
		// otherwise fail the whole batch with a 500.
		if v := recover(); v != nil {
			resp = &graphql.Response{Errors: gqlerror.List{presentRecovered(ctx, exec, v)}}
		}
	}()

	opCtx, errs := exec.CreateOperationContext(ctx, params)
	if errs != nil {
		return exec.DispatchError(graphql.WithOperationContext(ctx, opCtx), errs)
	}
	if opCtx.Operation.Operation == ast.Subscription {
		// A subscription streams, and a batch element holds one result.
		return exec.DispatchError(graphql.WithOperationContext(ctx, opCtx),
			gqlerror.List{gqlerror.Errorf("subscriptions cannot be sent in a batch")})
	}
	handler, ctx := exec.DispatchOperation(ctx, opCtx)
	if resp = handler(ctx); resp == nil {
		// The handler yields nothing once the request's context is cancelled.
		resp = &graphql.Response{Errors: gqlerror.List{{Message: "request cancelled"}}}
	}
	return resp
}

// marshal encodes one result; a result that cannot be encoded becomes an error result.
func (b *batchTransport) marshal(ctx context.Context, resp *graphql.Response) json.RawMessage {
	out, err := json.Marshal(resp)
	if err != nil {
		b.logger.ErrorContext(ctx, "graphql: marshal batch result", "error", err)
		out, _ = json.Marshal(&graphql.Response{Errors: gqlerror.List{{Message: "internal system error"}}})
	}
	return out
}

// presentRecovered turns a panic into the error the server's recover function and error
// presenter make of it (gqlgen's executor has both; the GraphExecutor interface does not).
func presentRecovered(ctx context.Context, exec graphql.GraphExecutor, v any) *gqlerror.Error {
	if p, ok := exec.(interface {
		PresentRecoveredError(ctx context.Context, err any) error
	}); ok {
		if gqlErr, ok := p.PresentRecoveredError(ctx, v).(*gqlerror.Error); ok {
			return gqlErr
		}
	}
	return &gqlerror.Error{Message: "internal system error"}
}

func (b *batchTransport) refuse(w http.ResponseWriter, r *http.Request, status int, code, message string) {
	b.logger.DebugContext(r.Context(), "graphql: batch refused", "status", status, "error", message)
	writeError(w, status, code, message)
}
