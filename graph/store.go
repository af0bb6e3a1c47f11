package graph

import (
	"context"

	"github.com/gorgon-commerce/gorgon/graph/gqlmodel"
	"github.com/gorgon-commerce/gorgon/graph/node"
	"github.com/gorgon-commerce/gorgon/store"
	"github.com/gorgon-commerce/gorgon/store/model"
)

func init() {
	// Medusa keeps one store; any other store_ id is not found.
	nodeFetchers["store"] = func(ctx context.Context, r *Resolver, id string) (node.Node, error) {
		st, err := r.Store.GetStore(ctx)
		if err != nil {
			return nil, err
		}
		if st.ID != id {
			return nil, nil
		}
		return gqlmodel.NewStore(st, r.Store), nil
	}
}

func (r *Resolver) storeSettings(ctx context.Context) (*gqlmodel.Store, error) {
	st, err := r.Store.GetStore(ctx)
	if err != nil {
		return nil, queryError(err)
	}
	return gqlmodel.NewStore(st, r.Store), nil
}

// storePayload is every store mutation's answer.
func (r *Resolver) storePayload(st *model.Store, err error) (*gqlmodel.StorePayload, error) {
	ue, err := payloadErrors(err)
	return &gqlmodel.StorePayload{Store: gqlmodel.NewStore(st, r.Store), UserErrors: ue}, err
}

// updateStore: a null name or default currency keeps it, as in REST; a null link template
// clears it.
func (r *Resolver) updateStore(ctx context.Context, in gqlmodel.UpdateStoreInput) (*gqlmodel.StorePayload, error) {
	return r.storePayload(r.Store.UpdateStore(ctx, store.UpdateStoreInput{Name: in.Name,
		SwapLinkTemplate:    nullable(in.SwapLinkTemplate.ValueOK()),
		PaymentLinkTemplate: nullable(in.PaymentLinkTemplate.ValueOK()),
		InviteLinkTemplate:  nullable(in.InviteLinkTemplate.ValueOK()),
		DefaultCurrencyCode: in.DefaultCurrencyCode, Currencies: in.Currencies, Metadata: in.Metadata}))
}
