/**
 * The service's GraphQL operations, for the Node client (client.ts) and the web page (web/src) alike;
 * `npm run codegen` turns them into src/client/gql (types and documents). The page asks for each entry's
 * `candidates` (its correction picker) with `withCandidates: true`; the Node client leaves them out.
 */
import { graphql } from './gql/index.js';

export const CardFields = graphql(`
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
`);

export const DeckEntryFields = graphql(`
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
`);

export const DecklistFields = graphql(`
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
`);

export const ProcessBatchMutation = graphql(`
  mutation ProcessBatch($files: [Upload!]!) {
    processBatch(files: $files) {
      id
      total
      status
    }
  }
`);

export const ProcessImageMutation = graphql(`
  mutation ProcessImage($file: Upload!, $withCandidates: Boolean! = false) {
    processImage(file: $file) {
      ...DecklistFields
    }
  }
`);

/** Stops the batch's queued images (each ends with a CANCELLED error event); images being read finish. */
export const CancelBatchMutation = graphql(`
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
`);

export const BatchQuery = graphql(`
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
`);

/** The page on reload with `?batch=<id>`: the batch's count and state, before the replay arrives. */
export const BatchInfoQuery = graphql(`
  query BatchInfo($id: ID!) {
    batch(id: $id) {
      id
      status
      total
      createdAt
    }
  }
`);

export const HealthQuery = graphql(`
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
`);

export const CardsQuery = graphql(`
  query Cards($search: String, $first: Int) {
    cards(search: $search, first: $first) {
      ...CardFields
    }
  }
`);

export const BatchEventsSubscription = graphql(`
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
`);
