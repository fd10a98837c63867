import { deckCodeFor } from '../decklist/deck-code.js';
import { formatDecklistText } from '../decklist/format.js';
import type { Box, Candidate, DeckEntry, Decklist, DecklistMetadata, PipelineWarning, TileText, Validation, ValidationProblem } from '../pipeline/types.js';
import { IMAGE_FORMATS, SECTION_KINDS, VALIDATION_PROBLEM_CODES, WARNING_CODES } from '../pipeline/types.js';
import { builder } from './builder.js';
import { CardRef } from './cards.js';

const SectionKindEnum = builder.enumType('SectionKind', { values: SECTION_KINDS });

const ValidationProblemCodeEnum = builder.enumType('ValidationProblemCode', { values: VALIDATION_PROBLEM_CODES });

const WarningCodeEnum = builder.enumType('WarningCode', { values: WARNING_CODES });

const ImageFormatEnum = builder.enumType('ImageFormat', { values: IMAGE_FORMATS });

const Metadata = builder.objectRef<DecklistMetadata>('DecklistMetadata').implement({
  description: 'The header of the screenshot.',
  fields: (t) => ({
    deckName: t.exposeString('deckName', { nullable: true }),
    placement: t.exposeInt('placement', { nullable: true, description: 'The placement badge (1 = winner).' }),
    event: t.exposeString('event', { nullable: true }),
    date: t.exposeString('date', { nullable: true, description: 'YYYY-MM-DD' }),
    player: t.exposeString('player', { nullable: true }),
  }),
});

const BoxRef = builder.objectRef<Box>('Box').implement({
  description: 'A pixel box in the submitted image.',
  fields: (t) => ({
    x: t.exposeInt('x'),
    y: t.exposeInt('y'),
    width: t.exposeInt('width'),
    height: t.exposeInt('height'),
  }),
});

const TileTextRef = builder.objectRef<TileText>('TileText').implement({
  description: 'What OCR read from one tile.',
  fields: (t) => ({
    name: t.exposeString('name'),
    subtitle: t.exposeString('subtitle', { nullable: true }),
    badge: t.exposeString('badge', { nullable: true }),
  }),
});

const CandidateRef = builder.objectRef<Candidate>('Candidate').implement({
  description: 'A card the matcher considered.',
  fields: (t) => ({
    card: t.expose('card', { type: CardRef }),
    score: t.exposeFloat('score'),
  }),
});

const DeckEntryRef = builder.objectRef<DeckEntry>('DeckEntry').implement({
  description: 'One card of a section: every tile of that card added up.',
  fields: (t) => ({
    nameCn: t.exposeString('nameCn', { description: "The matched card's Chinese name, or the OCR text when unmatched." }),
    nameEn: t.exposeString('nameEn', { nullable: true }),
    quantity: t.exposeInt('quantity'),
    confidence: t.exposeFloat('confidence'),
    card: t.expose('card', { type: CardRef, nullable: true, description: 'Null when no card is close enough.' }),
    candidates: t.expose('candidates', { type: [CandidateRef] }),
    ocrText: t.expose('ocrText', { type: [TileTextRef] }),
    tiles: t.expose('tiles', { type: [BoxRef] }),
  }),
});

const ValidationProblemRef = builder.objectRef<ValidationProblem>('ValidationProblem').implement({
  fields: (t) => ({
    code: t.expose('code', { type: ValidationProblemCodeEnum }),
    section: t.expose('section', { type: SectionKindEnum, nullable: true }),
    message: t.exposeString('message'),
  }),
});

const ValidationRef = builder.objectRef<Validation>('Validation').implement({
  fields: (t) => ({
    valid: t.exposeBoolean('valid'),
    problems: t.expose('problems', { type: [ValidationProblemRef] }),
  }),
});

const WarningRef = builder.objectRef<PipelineWarning>('PipelineWarning').implement({
  fields: (t) => ({
    code: t.expose('code', { type: WarningCodeEnum }),
    message: t.exposeString('message'),
  }),
});

const ImageInfoRef = builder.objectRef<Decklist['image']>('ImageInfo').implement({
  fields: (t) => ({
    width: t.exposeInt('width'),
    height: t.exposeInt('height'),
    format: t.expose('format', { type: ImageFormatEnum }),
  }),
});

export const DecklistRef = builder.objectRef<Decklist>('Decklist').implement({
  description: 'A decklist read from one screenshot (the same field names as the CLI JSON).',
  fields: (t) => ({
    metadata: t.expose('metadata', { type: Metadata }),
    legend: t.expose('legend', { type: [DeckEntryRef] }),
    mainDeck: t.expose('mainDeck', { type: [DeckEntryRef] }),
    battlefields: t.expose('battlefields', { type: [DeckEntryRef] }),
    runes: t.expose('runes', { type: [DeckEntryRef] }),
    sideDeck: t.expose('sideDeck', { type: [DeckEntryRef] }),
    chosenChampion: t.expose('chosenChampion', {
      type: CardRef,
      nullable: true,
      description:
        "The chosen champion: the card of the main deck's first tile when it is a champion unit (it is one of the main deck's 40). Null when that tile is unmatched or not a champion unit, or when the image does not show where the main deck starts.",
    }),
    validation: t.expose('validation', { type: ValidationRef }),
    warnings: t.expose('warnings', { type: [WarningRef] }),
    image: t.expose('image', { type: ImageInfoRef }),
    text: t.string({
      description: 'The decklist in English as a person pastes it; unmatched cards keep their Chinese text.',
      resolve: (deck) => formatDecklistText(deck),
    }),
    deckCode: t.string({
      nullable: true,
      description:
        'Piltover Archive deck code (legend, main deck, battlefields and runes as the deck; side deck as sideboard; the chosen champion). Null when a card is unmatched or belongs to a set the deck-code format does not encode yet; the NO_DECK_CODE warning then says why.',
      resolve: (deck) => deckCodeFor(deck),
    }),
  }),
});
