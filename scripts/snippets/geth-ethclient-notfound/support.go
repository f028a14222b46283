// Stand-ins for the parts of ethclient the drill's diff does not show, so that the key's
// snippets compile in context. Written for this harness; not go-ethereum's code.
package ethclient

import (
	"context"
	"errors"

	"example.com/snippet/common"
	"example.com/snippet/types"
)

// NotFound is returned by API methods if the requested item does not exist.
var NotFound = errors.New("not found")

type caller interface {
	CallContext(ctx context.Context, result interface{}, method string, args ...interface{}) error
}

type Client struct{ c caller }

type rpcTransaction struct {
	tx          *types.Transaction
	BlockNumber *string
}

func (ec *Client) BlockByHash(ctx context.Context, hash common.Hash) (*types.Block, error) {
	head, err := ec.getBlock(ctx, "eth_getBlockByHash", hash, true)
	if err != nil || head == nil {
		return nil, err
	}
	return &types.Block{Header: head}, nil
}
