/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** Why one image produced no decklist (docs/errors.md has each one's cause and fix): INVALID_IMAGE, UNSUPPORTED_FORMAT, IMAGE_TOO_LARGE, IMAGE_TOO_SMALL, NOT_A_DECKLIST, OCR_FAILED, TIMEOUT, CANCELLED, FILE_TOO_LARGE, UNSUPPORTED_TYPE, EMPTY_FILE, UPLOAD_FAILED, SERVER_BUSY. */
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

export type HealthStatus =
  /** Taking work. */
  | 'OK'
  /** Finishing the work in flight; new work is refused. */
  | 'SHUTTING_DOWN'
  /** The batch store (Redis, the database) does not answer: the store figures here are 0, not measured. */
  | 'STORE_UNAVAILABLE';

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

export type CardFieldsFragment = { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null };

export type DeckEntryFieldsFragment = { nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> };

export type DecklistFieldsFragment = { text: string, deckCode: string | null, metadata: { deckName: string | null, placement: number | null, event: string | null, date: string | null, player: string | null }, legend: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, mainDeck: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, battlefields: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, runes: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, sideDeck: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, chosenChampion: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, validation: { valid: boolean, problems: Array<{ code: ValidationProblemCode, section: SectionKind | null, message: string }> }, warnings: Array<{ code: WarningCode, message: string }> };

export type ProcessBatchMutationVariables = Exact<{
  files: Array<File | Blob> | File | Blob;
}>;


export type ProcessBatchMutation = { processBatch: { id: string, total: number, status: BatchStatus } };

export type ProcessImageMutationVariables = Exact<{
  file: File | Blob;
  withCandidates?: boolean;
}>;


export type ProcessImageMutation = { processImage: { text: string, deckCode: string | null, metadata: { deckName: string | null, placement: number | null, event: string | null, date: string | null, player: string | null }, legend: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, mainDeck: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, battlefields: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, runes: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, sideDeck: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, chosenChampion: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, validation: { valid: boolean, problems: Array<{ code: ValidationProblemCode, section: SectionKind | null, message: string }> }, warnings: Array<{ code: WarningCode, message: string }> } };

export type CancelBatchMutationVariables = Exact<{
  id: string;
}>;


export type CancelBatchMutation = { cancelBatch: { id: string, status: BatchStatus, total: number, completed: number, succeeded: number, failed: number, cancelled: number } };

export type BatchQueryVariables = Exact<{
  id: string;
  withCandidates?: boolean;
}>;


export type BatchQuery = { batch: { id: string, status: BatchStatus, total: number, completed: number, succeeded: number, failed: number, cancelled: number, results: Array<{ index: number, filename: string, decklist: { text: string, deckCode: string | null, metadata: { deckName: string | null, placement: number | null, event: string | null, date: string | null, player: string | null }, legend: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, mainDeck: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, battlefields: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, runes: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, sideDeck: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, chosenChampion: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, validation: { valid: boolean, problems: Array<{ code: ValidationProblemCode, section: SectionKind | null, message: string }> }, warnings: Array<{ code: WarningCode, message: string }> } }>, errors: Array<{ index: number, filename: string, code: BatchErrorCode, message: string }> } | null };

export type BatchInfoQueryVariables = Exact<{
  id: string;
}>;


export type BatchInfoQuery = { batch: { id: string, status: BatchStatus, total: number, createdAt: string } | null };

export type HealthQueryVariables = Exact<{ [key: string]: never; }>;


export type HealthQuery = { health: { status: HealthStatus, cardsLoaded: number, workers: number, queueDepth: number, inFlight: number, batches: number, version: string, store: { kind: string, durable: boolean, storedBytes: number, maxStoredBytes: number | null }, cluster: { readers: number, ocrWorkers: number, instances: Array<{ id: string, role: string, ocrWorkers: number, host: string }> } } };

export type CardsQueryVariables = Exact<{
  search?: string | null | undefined;
  first?: number | null | undefined;
}>;


export type CardsQuery = { cards: Array<{ cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null }> };

export type BatchEventsSubscriptionVariables = Exact<{
  batchId: string;
  after?: number | null | undefined;
  withCandidates?: boolean;
}>;


export type BatchEventsSubscription = { batchEvents:
    | { __typename: 'BatchComplete', batchId: string, sequence: number, total: number, succeeded: number, failed: number, cancelled: number, durationMs: number }
    | { __typename: 'BatchError', batchId: string, sequence: number, index: number, filename: string, code: BatchErrorCode, message: string }
    | { __typename: 'BatchProgress', batchId: string, sequence: number, index: number, filename: string, stage: BatchStage, completed: number, total: number }
    | { __typename: 'BatchResult', batchId: string, sequence: number, index: number, filename: string, decklist: { text: string, deckCode: string | null, metadata: { deckName: string | null, placement: number | null, event: string | null, date: string | null, player: string | null }, legend: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, mainDeck: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, battlefields: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, runes: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, sideDeck: Array<{ nameCn: string, nameEn: string | null, quantity: number, confidence: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, candidates?: Array<{ score: number, card: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } }> }>, chosenChampion: { cardNumber: string, code: string, nameCn: string, nameEn: string, type: string, domains: Array<string>, cost: number | null, rarity: string, imageUrl: string | null } | null, validation: { valid: boolean, problems: Array<{ code: ValidationProblemCode, section: SectionKind | null, message: string }> }, warnings: Array<{ code: WarningCode, message: string }> } }
   };

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
export const CardFieldsFragmentDoc = new TypedDocumentString(`
    fragment CardFields on Card {
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
    `, {"fragmentName":"CardFields"}) as unknown as TypedDocumentString<CardFieldsFragment, unknown>;
export const DeckEntryFieldsFragmentDoc = new TypedDocumentString(`
    fragment DeckEntryFields on DeckEntry {
  nameCn
  nameEn
  quantity
  confidence
  card {
    ...CardFields
  }
  candidates @include(if: $withCandidates) {
    score
    card {
      ...CardFields
    }
  }
}
    fragment CardFields on Card {
  cardNumber
  code
  nameCn
  nameEn
  type
  domains
  cost
  rarity
  imageUrl
}`, {"fragmentName":"DeckEntryFields"}) as unknown as TypedDocumentString<DeckEntryFieldsFragment, unknown>;
export const DecklistFieldsFragmentDoc = new TypedDocumentString(`
    fragment DecklistFields on Decklist {
  metadata {
    deckName
    placement
    event
    date
    player
  }
  legend {
    ...DeckEntryFields
  }
  mainDeck {
    ...DeckEntryFields
  }
  battlefields {
    ...DeckEntryFields
  }
  runes {
    ...DeckEntryFields
  }
  sideDeck {
    ...DeckEntryFields
  }
  chosenChampion {
    ...CardFields
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
    fragment CardFields on Card {
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
fragment DeckEntryFields on DeckEntry {
  nameCn
  nameEn
  quantity
  confidence
  card {
    ...CardFields
  }
  candidates @include(if: $withCandidates) {
    score
    card {
      ...CardFields
    }
  }
}`, {"fragmentName":"DecklistFields"}) as unknown as TypedDocumentString<DecklistFieldsFragment, unknown>;
export const ProcessBatchDocument = new TypedDocumentString(`
    mutation ProcessBatch($files: [Upload!]!) {
  processBatch(files: $files) {
    id
    total
    status
  }
}
    `) as unknown as TypedDocumentString<ProcessBatchMutation, ProcessBatchMutationVariables>;
export const ProcessImageDocument = new TypedDocumentString(`
    mutation ProcessImage($file: Upload!, $withCandidates: Boolean! = false) {
  processImage(file: $file) {
    ...DecklistFields
  }
}
    fragment CardFields on Card {
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
fragment DeckEntryFields on DeckEntry {
  nameCn
  nameEn
  quantity
  confidence
  card {
    ...CardFields
  }
  candidates @include(if: $withCandidates) {
    score
    card {
      ...CardFields
    }
  }
}
fragment DecklistFields on Decklist {
  metadata {
    deckName
    placement
    event
    date
    player
  }
  legend {
    ...DeckEntryFields
  }
  mainDeck {
    ...DeckEntryFields
  }
  battlefields {
    ...DeckEntryFields
  }
  runes {
    ...DeckEntryFields
  }
  sideDeck {
    ...DeckEntryFields
  }
  chosenChampion {
    ...CardFields
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
}`) as unknown as TypedDocumentString<ProcessImageMutation, ProcessImageMutationVariables>;
export const CancelBatchDocument = new TypedDocumentString(`
    mutation CancelBatch($id: ID!) {
  cancelBatch(id: $id) {
    id
    status
    total
    completed
    succeeded
    failed
    cancelled
  }
}
    `) as unknown as TypedDocumentString<CancelBatchMutation, CancelBatchMutationVariables>;
export const BatchDocument = new TypedDocumentString(`
    query Batch($id: ID!, $withCandidates: Boolean! = false) {
  batch(id: $id) {
    id
    status
    total
    completed
    succeeded
    failed
    cancelled
    results {
      index
      filename
      decklist {
        ...DecklistFields
      }
    }
    errors {
      index
      filename
      code
      message
    }
  }
}
    fragment CardFields on Card {
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
fragment DeckEntryFields on DeckEntry {
  nameCn
  nameEn
  quantity
  confidence
  card {
    ...CardFields
  }
  candidates @include(if: $withCandidates) {
    score
    card {
      ...CardFields
    }
  }
}
fragment DecklistFields on Decklist {
  metadata {
    deckName
    placement
    event
    date
    player
  }
  legend {
    ...DeckEntryFields
  }
  mainDeck {
    ...DeckEntryFields
  }
  battlefields {
    ...DeckEntryFields
  }
  runes {
    ...DeckEntryFields
  }
  sideDeck {
    ...DeckEntryFields
  }
  chosenChampion {
    ...CardFields
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
}`) as unknown as TypedDocumentString<BatchQuery, BatchQueryVariables>;
export const BatchInfoDocument = new TypedDocumentString(`
    query BatchInfo($id: ID!) {
  batch(id: $id) {
    id
    status
    total
    createdAt
  }
}
    `) as unknown as TypedDocumentString<BatchInfoQuery, BatchInfoQueryVariables>;
export const HealthDocument = new TypedDocumentString(`
    query Health {
  health {
    status
    cardsLoaded
    workers
    queueDepth
    inFlight
    batches
    store {
      kind
      durable
      storedBytes
      maxStoredBytes
    }
    cluster {
      readers
      ocrWorkers
      instances {
        id
        role
        ocrWorkers
        host
      }
    }
    version
  }
}
    `) as unknown as TypedDocumentString<HealthQuery, HealthQueryVariables>;
export const CardsDocument = new TypedDocumentString(`
    query Cards($search: String, $first: Int) {
  cards(search: $search, first: $first) {
    ...CardFields
  }
}
    fragment CardFields on Card {
  cardNumber
  code
  nameCn
  nameEn
  type
  domains
  cost
  rarity
  imageUrl
}`) as unknown as TypedDocumentString<CardsQuery, CardsQueryVariables>;
export const BatchEventsDocument = new TypedDocumentString(`
    subscription BatchEvents($batchId: ID!, $after: Int, $withCandidates: Boolean! = false) {
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
        ...DecklistFields
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
    fragment CardFields on Card {
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
fragment DeckEntryFields on DeckEntry {
  nameCn
  nameEn
  quantity
  confidence
  card {
    ...CardFields
  }
  candidates @include(if: $withCandidates) {
    score
    card {
      ...CardFields
    }
  }
}
fragment DecklistFields on Decklist {
  metadata {
    deckName
    placement
    event
    date
    player
  }
  legend {
    ...DeckEntryFields
  }
  mainDeck {
    ...DeckEntryFields
  }
  battlefields {
    ...DeckEntryFields
  }
  runes {
    ...DeckEntryFields
  }
  sideDeck {
    ...DeckEntryFields
  }
  chosenChampion {
    ...CardFields
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
}`) as unknown as TypedDocumentString<BatchEventsSubscription, BatchEventsSubscriptionVariables>;