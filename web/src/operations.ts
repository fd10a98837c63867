/** The page's GraphQL operations; `npm run codegen` turns them into web/src/gql (types and documents). */
import { graphql } from './gql/index.js';

export const WebCardFields = graphql(`
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
`);

export const WebEntryFields = graphql(`
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
`);

export const WebDecklistFields = graphql(`
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
`);

export const WebProcessBatch = graphql(`
  mutation WebProcessBatch($files: [Upload!]!) {
    processBatch(files: $files) {
      id
      total
      status
    }
  }
`);

/** On reload with `?batch=<id>`: the file names and count, before the replay arrives. */
export const WebBatchInfo = graphql(`
  query WebBatchInfo($id: ID!) {
    batch(id: $id) {
      id
      status
      total
      createdAt
    }
  }
`);

export const WebCardSearch = graphql(`
  query WebCardSearch($search: String, $first: Int) {
    cards(search: $search, first: $first) {
      ...WebCardFields
    }
  }
`);

export const WebBatchEvents = graphql(`
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
`);

/** Stops the batch's queued images (each ends with a CANCELLED error event); images being read finish. */
export const WebCancelBatch = graphql(`
  mutation WebCancelBatch($id: ID!) {
    cancelBatch(id: $id) {
      id
      status
    }
  }
`);
