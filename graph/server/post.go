package server

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/99designs/gqlgen/graphql"
	"github.com/99designs/gqlgen/graphql/handler/transport"
)

// postTransport is gqlgen's POST transport (transport.POST) with a cheaper answer: gqlgen writes
// every answer with json.Marshal, which scans the whole data again to compact it and escape HTML
// characters (a tenth of the CPU of a page of 50 products with variants and prices). Data gqlgen
// wrote is compact already; without a character that encoding/json escapes (<, >, &, U+2028,
// U+2029) those bytes are what json.Marshal writes, so postTransport writes them as they are.
// Any other answer (errors, extensions, a body that does not decode, an operation that does not
// validate) is gqlgen's: such requests go to transport.POST as they came.
type postTransport struct{ transport.POST }

var _ graphql.Transport = postTransport{}

func (t postTransport) Do(w http.ResponseWriter, r *http.Request, exec graphql.GraphExecutor) {
	start := graphql.Now()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		t.POST.Do(w, r, exec)
		return
	}
	params := &graphql.RawParams{}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if dec.Decode(params) != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		t.POST.Do(w, r, exec)
		return
	}
	params.Headers = r.Header
	params.ReadTime = graphql.TraceTiming{Start: start, End: graphql.Now()}
	ctx := r.Context()
	rc, opErr := exec.CreateOperationContext(ctx, params)
	if opErr != nil {
		r.Body = io.NopCloser(bytes.NewReader(body))
		t.POST.Do(w, r, exec)
		return
	}
	w.Header().Add("Content-Type", responseContentType(r))
	responses, ctx := exec.DispatchOperation(ctx, rc)
	res := responses(ctx)
	// The fields json.Marshal would write besides data are all omitempty.
	if len(res.Errors) == 0 && len(res.Extensions) == 0 && res.Label == "" && len(res.Path) == 0 && res.HasNext == nil &&
		len(res.Data) > 0 && !needsEscape(res.Data) {
		_, _ = io.WriteString(w, `{"data":`)
		_, _ = w.Write(res.Data)
		_, _ = io.WriteString(w, "}")
		return
	}
	b, err := json.Marshal(res)
	if err != nil {
		panic("graphql: unable to marshal " + string(res.Data) + ": " + err.Error())
	}
	_, _ = w.Write(b)
}

// needsEscape: b holds a byte that encoding/json's compaction would change (HTML characters, and
// the lead byte of U+2028 and U+2029).
func needsEscape(b []byte) bool {
	return bytes.IndexByte(b, '<') >= 0 || bytes.IndexByte(b, '>') >= 0 || bytes.IndexByte(b, '&') >= 0 ||
		bytes.IndexByte(b, 0xE2) >= 0
}

// responseContentType is the content type transport.POST answers with (its default settings).
func responseContentType(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return "application/json"
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", "application/json":
			return "application/json"
		case "application/graphql-response+json":
			return "application/graphql-response+json"
		}
	}
	return "application/graphql-response+json"
}
