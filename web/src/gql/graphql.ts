/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Why one image produced no decklist: the pipeline's failure codes, then the upload ones (FILE_TOO_LARGE, UNSUPPORTED_TYPE, EMPTY_FILE, UPLOAD_FAILED). */
export type BatchErrorCode =
  | 'CANCELLED'
  | 'EMPTY_FILE'
  | 'FILE_TOO_LARGE'
  | 'IMAGE_TOO_LARGE'
  | 'IMAGE_TOO_SMALL'
  | 'INVALID_IMAGE'
  | 'NOT_A_DECKLIST'
  | 'OCR_FAILED'
  | 'SERVER_BUSY'
  | 'TIMEOUT'
  | 'UNSUPPORTED_FORMAT'
  | 'UNSUPPORTED_TYPE'
  | 'UPLOAD_FAILED';

/** QUEUED: waiting for the OCR pool; then the pipeline stages in order. */
export type BatchStage =
  | 'DECODING'
  | 'LAYOUT'
  | 'MATCHING'
  | 'QUEUED'
  | 'READING';

export type BatchStatus =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'QUEUED'
  | 'RUNNING';

export type SectionKind =
  | 'battlefields'
  | 'legend'
  | 'mainDeck'
  | 'runes'
  | 'sideDeck';

export type ValidationProblemCode =
  | 'BATTLEFIELD_COUNT'
  | 'BATTLEFIELD_DUPLICATE'
  | 'CHOSEN_CHAMPION'
  | 'LEGEND_COUNT'
  | 'MAIN_DECK_COUNT'
  | 'MISSING_SECTION'
  | 'RUNE_COUNT'
  | 'SIDE_DECK_COUNT'
  | 'TOO_MANY_COPIES'
  | 'UNMATCHED_CARDS';

export type WarningCode =
  | 'CUT_OFF_TILES'
  | 'DUPLICATE_SECTION'
  | 'HEADER_UNREADABLE'
  | 'NO_DECK_CODE'
  | 'SECTION_NOT_SEEN'
  | 'UNKNOWN_SECTION'
  | 'UNREADABLE_TILE'
  | 'UNREAD_TILES';

export type WebCardFieldsFragment = { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null };

export type WebEntryFieldsFragment = { nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> };

export type WebDecklistFieldsFragment = { text: string, deckCode: string | null, metadata: { deckName: string | null, placement: number | null, event: string | null, date: string | null, player: string | null }, legend: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, mainDeck: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, battlefields: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, runes: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, sideDeck: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, chosenChampion: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, validation: { valid: boolean, problems: Array<{ code: ValidationProblemCode, section: SectionKind | null, message: string }> }, warnings: Array<{ code: WarningCode, message: string }> };

export type WebProcessBatchMutationVariables = Exact<{
  files: Array<File | Blob> | File | Blob;
}>;


export type WebProcessBatchMutation = { processBatch: { id: string, total: number, status: BatchStatus } };

export type WebBatchInfoQueryVariables = Exact<{
  id: string;
}>;


export type WebBatchInfoQuery = { batch: { id: string, status: BatchStatus, total: number, createdAt: string } | null };

export type WebCardSearchQueryVariables = Exact<{
  search?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type WebCardSearchQuery = { cards: Array<{ cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null }> };

export type WebBatchEventsSubscriptionVariables = Exact<{
  batchId: string;
  after?: number | null | undefined;
}>;


export type WebBatchEventsSubscription = { batchEvents:
    | { __typename: 'BatchComplete', batchId: string, sequence: number, total: number, succeeded: number, failed: number, cancelled: number, durationMs: number }
    | { __typename: 'BatchError', batchId: string, sequence: number, index: number, filename: string, code: BatchErrorCode, message: string }
    | { __typename: 'BatchProgress', batchId: string, sequence: number, index: number, filename: string, stage: BatchStage, completed: number, total: number }
    | { __typename: 'BatchResult', batchId: string, sequence: number, index: number, filename: string, decklist: { text: string, deckCode: string | null, metadata: { deckName: string | null, placement: number | null, event: string | null, date: string | null, player: string | null }, legend: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, mainDeck: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, battlefields: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, runes: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, sideDeck: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, chosenChampion: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, validation: { valid: boolean, problems: Array<{ code: ValidationProblemCode, section: SectionKind | null, message: string }> }, warnings: Array<{ code: WarningCode, message: string }> } }
   };

export type WebCancelBatchMutationVariables = Exact<{
  id: string;
}>;


export type WebCancelBatchMutation = { cancelBatch: { id: string, status: BatchStatus } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const WebCardFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebCardFields on Card {
  cardNumber
  code
  nameCn
  nameEn
  type
  domains
  cost
  rarity
  imageUrl
}
    `, {"fragmentName":"WebCardFields"}) as unknown as TypedDocumentString<WebCardFieldsFragment, unknown>;
export const WebEntryFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebEntryFields on DeckEntry {
  nameCn
  nameEn
  quantity
  confidence
  card {
    ...WebCardFields
  }
  candidates {
    score
    card {
      ...WebCardFields
    }
  }
}
    fragment WebCardFields on Card {
  cardNumber
  code
  nameCn
  nameEn
  type
  domains
  cost
  rarity
  imageUrl
}`, {"fragmentName":"WebEntryFields"}) as unknown as TypedDocumentString<WebEntryFieldsFragment, unknown>;
export const WebDecklistFieldsFragmentDoc = new TypedDocumentString(`
    fragment WebDecklistFields on Decklist {
  metadata {
    deckName
    placement
    event
    date
    player
  }
  legend {
    ...WebEntryFields
  }
  mainDeck {
    ...WebEntryFields
  }
  battlefields {
    ...WebEntryFields
  }
  runes {
    ...WebEntryFields
  }
  sideDeck {
    ...WebEntryFields
  }
  chosenChampion {
    ...WebCardFields
  }
  validation {
    valid
    problems {
      code
      section
      message
    }
  }
  warnings {
    code
    message
  }
  text
  deckCode
}
    fragment WebCardFields on Card {
  cardNumber
  code
  nameCn
  nameEn
  type
  domains
  cost
  rarity
  imageUrl
}
fragment WebEntryFields on DeckEntry {
  nameCn
  nameEn
  quantity
  confidence
  card {
    ...WebCardFields
  }
  candidates {
    score
    card {
      ...WebCardFields
    }
  }
}`, {"fragmentName":"WebDecklistFields"}) as unknown as TypedDocumentString<WebDecklistFieldsFragment, unknown>;
export const WebProcessBatchDocument = new TypedDocumentString(`
    mutation WebProcessBatch($files: [Upload!]!) {
  processBatch(files: $files) {
    id
    total
    status
  }
}
    `) as unknown as TypedDocumentString<WebProcessBatchMutation, WebProcessBatchMutationVariables>;
export const WebBatchInfoDocument = new TypedDocumentString(`
    query WebBatchInfo($id: ID!) {
  batch(id: $id) {
    id
    status
    total
    createdAt
  }
}
    `) as unknown as TypedDocumentString<WebBatchInfoQuery, WebBatchInfoQueryVariables>;
export const WebCardSearchDocument = new TypedDocumentString(`
    query WebCardSearch($search: String, $first: Int) {
  cards(search: $search, first: $first) {
    ...WebCardFields
  }
}
    fragment WebCardFields on Card {
  cardNumber
  code
  nameCn
  nameEn
  type
  domains
  cost
  rarity
  imageUrl
}`) as unknown as TypedDocumentString<WebCardSearchQuery, WebCardSearchQueryVariables>;
export const WebBatchEventsDocument = new TypedDocumentString(`
    subscription WebBatchEvents($batchId: ID!, $after: Int) {
  batchEvents(batchId: $batchId, after: $after) {
    __typename
    ... on BatchProgress {
      batchId
      sequence
      index
      filename
      stage
      completed
      total
    }
    ... on BatchResult {
      batchId
      sequence
      index
      filename
      decklist {
        ...WebDecklistFields
      }
    }
    ... on BatchError {
      batchId
      sequence
      index
      filename
      code
      message
    }
    ... on BatchComplete {
      batchId
      sequence
      total
      succeeded
      failed
      cancelled
      durationMs
    }
  }
}
    fragment WebCardFields on Card {
  cardNumber
  code
  nameCn
  nameEn
  type
  domains
  cost
  rarity
  imageUrl
}
fragment WebEntryFields on DeckEntry {
  nameCn
  nameEn
  quantity
  confidence
  card {
    ...WebCardFields
  }
  candidates {
    score
    card {
      ...WebCardFields
    }
  }
}
fragment WebDecklistFields on Decklist {
  metadata {
    deckName
    placement
    event
    date
    player
  }
  legend {
    ...WebEntryFields
  }
  mainDeck {
    ...WebEntryFields
  }
  battlefields {
    ...WebEntryFields
  }
  runes {
    ...WebEntryFields
  }
  sideDeck {
    ...WebEntryFields
  }
  chosenChampion {
    ...WebCardFields
  }
  validation {
    valid
    problems {
      code
      section
      message
    }
  }
  warnings {
    code
    message
  }
  text
  deckCode
}`) as unknown as TypedDocumentString<WebBatchEventsSubscription, WebBatchEventsSubscriptionVariables>;
export const WebCancelBatchDocument = new TypedDocumentString(`
    mutation WebCancelBatch($id: ID!) {
  cancelBatch(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<WebCancelBatchMutation, WebCancelBatchMutationVariables>;