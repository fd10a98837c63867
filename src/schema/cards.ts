import { searchCards } from '../card-search.js';
import type { Card } from '../pipeline/types.js';
import { builder } from './builder.js';

export const CardRef = builder.objectRef<Card>('Card').implement({
  description: 'A card of the database, resolved to its base printing.',
  fields: (t) => ({
    cardNumber: t.exposeString('cardNumber', {
      description: 'As printed, in the form of its set: `OGN·007/298`, `UNL-001/219`, `VEN·001`, `SFD·R01` (base printing).',
    }),
    code: t.exposeString('code', { description: 'The code deck builders use, e.g. `OGN-007`, `SFD-R01`, `VEN-SP1`.' }),
    nameCn: t.exposeString('nameCn'),
    nameEn: t.exposeString('nameEn'),
    type: t.exposeString('type', {
      description: 'Legend, Champion Unit, Unit, Spell, Gear, Battlefield, Basic Rune, Signature Gear, ...; a card of two types reads `Unit / Gear`.',
    }),
    types: t.exposeStringList('types', { description: 'The same as a list: `[Unit, Gear]` for a card of two types, else one.' }),
    domains: t.exposeStringList('domains', { description: 'One or two English domains.' }),
    cost: t.exposeInt('cost', { nullable: true }),
    rarity: t.exposeString('rarity'),
    imageUrl: t.exposeString('imageUrl', { nullable: true, description: 'English card image, when the database has one.' }),
    altCardNumbers: t.exposeStringList('altCardNumbers', { description: 'Other printings of the same card.' }),
  }),
});

builder.queryFields((t) => ({
  cards: t.field({
    type: [CardRef],
    description: 'Fuzzy search by Chinese or English name (or card code), best match first; without `search`, the database in order.',
    args: {
      search: t.arg.string(),
      first: t.arg.int({ description: 'At most this many cards (default 20, at most 500).' }),
    },
    resolve: (_root, args, ctx) => searchCards(ctx.cards, args.search, Math.max(0, Math.min(args.first ?? 20, 500))),
  }),
  card: t.field({
    type: CardRef,
    nullable: true,
    description: 'The card with this card number or code (`OGN·007/298`, `OGN-007`, any printing).',
    args: { cardNumber: t.arg.string({ required: true }) },
    resolve: (_root, args, ctx) => ctx.cards.byCardNumber(args.cardNumber) ?? null,
  }),
}));
