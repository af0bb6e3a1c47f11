package testschema

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync/atomic"

	"github.com/99designs/gqlgen/graphql"
)

// Resolver is the root resolver. Calls counts every resolver invocation, so a test can
// prove that a request was refused before execution.
type Resolver struct {
	Calls   atomic.Int64
	Counter atomic.Int64
}

// New returns the executable schema over a fresh resolver, and that resolver.
func New() (graphql.ExecutableSchema, *Resolver) {
	r := &Resolver{}
	return NewExecutableSchema(Config{Resolvers: r}), r
}

func (r *Resolver) Query() QueryResolver       { return (*queryResolver)(r) }
func (r *Resolver) Mutation() MutationResolver { return (*mutationResolver)(r) }
func (r *Resolver) Node() NodeResolver         { return (*nodeResolver)(r) }
func (r *Resolver) Subscription() SubscriptionResolver {
	return (*subscriptionResolver)(r)
}

type queryResolver Resolver

func (r *queryResolver) Hello(ctx context.Context, name string) (string, error) {
	r.Calls.Add(1)
	return "Hello, " + name + "!", nil
}

func (r *queryResolver) Node(ctx context.Context) (*Node, error) {
	r.Calls.Add(1)
	return &Node{ID: 1}, nil
}

func (r *queryResolver) Fail(ctx context.Context) (*string, error) {
	r.Calls.Add(1)
	return nil, errors.New("boom")
}

func (r *queryResolver) Explode(ctx context.Context) (*string, error) {
	r.Calls.Add(1)
	panic("kaboom")
}

type nodeResolver Resolver

func (r *nodeResolver) Child(ctx context.Context, obj *Node) (*Node, error) {
	r.Calls.Add(1)
	return &Node{ID: obj.ID + 1}, nil
}

type mutationResolver Resolver

func (r *mutationResolver) Increment(ctx context.Context, by int) (int, error) {
	r.Calls.Add(1)
	return int(r.Counter.Add(int64(by))), nil
}

func (r *mutationResolver) Upload(ctx context.Context, file graphql.Upload) (*UploadedFile, error) {
	r.Calls.Add(1)
	b, err := io.ReadAll(file.File)
	if err != nil {
		return nil, fmt.Errorf("read upload: %w", err)
	}
	return &UploadedFile{
		Filename:    file.Filename,
		ContentType: file.ContentType,
		Size:        int(file.Size),
		Content:     string(b),
	}, nil
}

type subscriptionResolver Resolver

func (r *subscriptionResolver) Ticks(ctx context.Context) (<-chan int, error) {
	r.Calls.Add(1)
	ch := make(chan int, 1)
	ch <- 1
	close(ch)
	return ch, nil
}
