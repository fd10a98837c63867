/* eslint-disable */
import * as types from './graphql.js';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  fragment CardFields on Card {\n    cardNumber\n    code\n    nameCn\n    nameEn\n    type\n    domains\n    cost\n    rarity\n    imageUrl\n  }\n": typeof types.CardFieldsFragmentDoc,
    "\n  fragment DeckEntryFields on DeckEntry {\n    nameCn\n    nameEn\n    quantity\n    confidence\n    card {\n      ...CardFields\n    }\n    candidates @include(if: $withCandidates) {\n      score\n      card {\n        ...CardFields\n      }\n    }\n  }\n": typeof types.DeckEntryFieldsFragmentDoc,
    "\n  fragment DecklistFields on Decklist {\n    metadata {\n      deckName\n      placement\n      event\n      date\n      player\n    }\n    legend {\n      ...DeckEntryFields\n    }\n    mainDeck {\n      ...DeckEntryFields\n    }\n    battlefields {\n      ...DeckEntryFields\n    }\n    runes {\n      ...DeckEntryFields\n    }\n    sideDeck {\n      ...DeckEntryFields\n    }\n    chosenChampion {\n      ...CardFields\n    }\n    validation {\n      valid\n      problems {\n        code\n        section\n        message\n      }\n    }\n    warnings {\n      code\n      message\n    }\n    text\n    deckCode\n  }\n": typeof types.DecklistFieldsFragmentDoc,
    "\n  mutation ProcessBatch($files: [Upload!]!) {\n    processBatch(files: $files) {\n      id\n      total\n      status\n    }\n  }\n": typeof types.ProcessBatchDocument,
    "\n  mutation ProcessImage($file: Upload!, $withCandidates: Boolean! = false) {\n    processImage(file: $file) {\n      ...DecklistFields\n    }\n  }\n": typeof types.ProcessImageDocument,
    "\n  mutation CancelBatch($id: ID!) {\n    cancelBatch(id: $id) {\n      id\n      status\n      total\n      completed\n      succeeded\n      failed\n      cancelled\n    }\n  }\n": typeof types.CancelBatchDocument,
    "\n  query Batch($id: ID!, $withCandidates: Boolean! = false) {\n    batch(id: $id) {\n      id\n      status\n      total\n      completed\n      succeeded\n      failed\n      cancelled\n      results {\n        index\n        filename\n        decklist {\n          ...DecklistFields\n        }\n      }\n      errors {\n        index\n        filename\n        code\n        message\n      }\n    }\n  }\n": typeof types.BatchDocument,
    "\n  query BatchInfo($id: ID!) {\n    batch(id: $id) {\n      id\n      status\n      total\n      createdAt\n    }\n  }\n": typeof types.BatchInfoDocument,
    "\n  query Health {\n    health {\n      status\n      cardsLoaded\n      workers\n      queueDepth\n      inFlight\n      batches\n      store {\n        kind\n        durable\n        storedBytes\n        maxStoredBytes\n      }\n      cluster {\n        readers\n        ocrWorkers\n        instances {\n          id\n          role\n          ocrWorkers\n          host\n        }\n      }\n      version\n    }\n  }\n": typeof types.HealthDocument,
    "\n  query Cards($search: String, $first: Int) {\n    cards(search: $search, first: $first) {\n      ...CardFields\n    }\n  }\n": typeof types.CardsDocument,
    "\n  subscription BatchEvents($batchId: ID!, $after: Int, $withCandidates: Boolean! = false) {\n    batchEvents(batchId: $batchId, after: $after) {\n      __typename\n      ... on BatchProgress {\n        batchId\n        sequence\n        index\n        filename\n        stage\n        completed\n        total\n      }\n      ... on BatchResult {\n        batchId\n        sequence\n        index\n        filename\n        decklist {\n          ...DecklistFields\n        }\n      }\n      ... on BatchError {\n        batchId\n        sequence\n        index\n        filename\n        code\n        message\n      }\n      ... on BatchComplete {\n        batchId\n        sequence\n        total\n        succeeded\n        failed\n        cancelled\n        durationMs\n      }\n    }\n  }\n": typeof types.BatchEventsDocument,
};
const documents: Documents = {
    "\n  fragment CardFields on Card {\n    cardNumber\n    code\n    nameCn\n    nameEn\n    type\n    domains\n    cost\n    rarity\n    imageUrl\n  }\n": types.CardFieldsFragmentDoc,
    "\n  fragment DeckEntryFields on DeckEntry {\n    nameCn\n    nameEn\n    quantity\n    confidence\n    card {\n      ...CardFields\n    }\n    candidates @include(if: $withCandidates) {\n      score\n      card {\n        ...CardFields\n      }\n    }\n  }\n": types.DeckEntryFieldsFragmentDoc,
    "\n  fragment DecklistFields on Decklist {\n    metadata {\n      deckName\n      placement\n      event\n      date\n      player\n    }\n    legend {\n      ...DeckEntryFields\n    }\n    mainDeck {\n      ...DeckEntryFields\n    }\n    battlefields {\n      ...DeckEntryFields\n    }\n    runes {\n      ...DeckEntryFields\n    }\n    sideDeck {\n      ...DeckEntryFields\n    }\n    chosenChampion {\n      ...CardFields\n    }\n    validation {\n      valid\n      problems {\n        code\n        section\n        message\n      }\n    }\n    warnings {\n      code\n      message\n    }\n    text\n    deckCode\n  }\n": types.DecklistFieldsFragmentDoc,
    "\n  mutation ProcessBatch($files: [Upload!]!) {\n    processBatch(files: $files) {\n      id\n      total\n      status\n    }\n  }\n": types.ProcessBatchDocument,
    "\n  mutation ProcessImage($file: Upload!, $withCandidates: Boolean! = false) {\n    processImage(file: $file) {\n      ...DecklistFields\n    }\n  }\n": types.ProcessImageDocument,
    "\n  mutation CancelBatch($id: ID!) {\n    cancelBatch(id: $id) {\n      id\n      status\n      total\n      completed\n      succeeded\n      failed\n      cancelled\n    }\n  }\n": types.CancelBatchDocument,
    "\n  query Batch($id: ID!, $withCandidates: Boolean! = false) {\n    batch(id: $id) {\n      id\n      status\n      total\n      completed\n      succeeded\n      failed\n      cancelled\n      results {\n        index\n        filename\n        decklist {\n          ...DecklistFields\n        }\n      }\n      errors {\n        index\n        filename\n        code\n        message\n      }\n    }\n  }\n": types.BatchDocument,
    "\n  query BatchInfo($id: ID!) {\n    batch(id: $id) {\n      id\n      status\n      total\n      createdAt\n    }\n  }\n": types.BatchInfoDocument,
    "\n  query Health {\n    health {\n      status\n      cardsLoaded\n      workers\n      queueDepth\n      inFlight\n      batches\n      store {\n        kind\n        durable\n        storedBytes\n        maxStoredBytes\n      }\n      cluster {\n        readers\n        ocrWorkers\n        instances {\n          id\n          role\n          ocrWorkers\n          host\n        }\n      }\n      version\n    }\n  }\n": types.HealthDocument,
    "\n  query Cards($search: String, $first: Int) {\n    cards(search: $search, first: $first) {\n      ...CardFields\n    }\n  }\n": types.CardsDocument,
    "\n  subscription BatchEvents($batchId: ID!, $after: Int, $withCandidates: Boolean! = false) {\n    batchEvents(batchId: $batchId, after: $after) {\n      __typename\n      ... on BatchProgress {\n        batchId\n        sequence\n        index\n        filename\n        stage\n        completed\n        total\n      }\n      ... on BatchResult {\n        batchId\n        sequence\n        index\n        filename\n        decklist {\n          ...DecklistFields\n        }\n      }\n      ... on BatchError {\n        batchId\n        sequence\n        index\n        filename\n        code\n        message\n      }\n      ... on BatchComplete {\n        batchId\n        sequence\n        total\n        succeeded\n        failed\n        cancelled\n        durationMs\n      }\n    }\n  }\n": types.BatchEventsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CardFields on Card {\n    cardNumber\n    code\n    nameCn\n    nameEn\n    type\n    domains\n    cost\n    rarity\n    imageUrl\n  }\n"): typeof import('./graphql.js').CardFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DeckEntryFields on DeckEntry {\n    nameCn\n    nameEn\n    quantity\n    confidence\n    card {\n      ...CardFields\n    }\n    candidates @include(if: $withCandidates) {\n      score\n      card {\n        ...CardFields\n      }\n    }\n  }\n"): typeof import('./graphql.js').DeckEntryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DecklistFields on Decklist {\n    metadata {\n      deckName\n      placement\n      event\n      date\n      player\n    }\n    legend {\n      ...DeckEntryFields\n    }\n    mainDeck {\n      ...DeckEntryFields\n    }\n    battlefields {\n      ...DeckEntryFields\n    }\n    runes {\n      ...DeckEntryFields\n    }\n    sideDeck {\n      ...DeckEntryFields\n    }\n    chosenChampion {\n      ...CardFields\n    }\n    validation {\n      valid\n      problems {\n        code\n        section\n        message\n      }\n    }\n    warnings {\n      code\n      message\n    }\n    text\n    deckCode\n  }\n"): typeof import('./graphql.js').DecklistFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProcessBatch($files: [Upload!]!) {\n    processBatch(files: $files) {\n      id\n      total\n      status\n    }\n  }\n"): typeof import('./graphql.js').ProcessBatchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ProcessImage($file: Upload!, $withCandidates: Boolean! = false) {\n    processImage(file: $file) {\n      ...DecklistFields\n    }\n  }\n"): typeof import('./graphql.js').ProcessImageDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelBatch($id: ID!) {\n    cancelBatch(id: $id) {\n      id\n      status\n      total\n      completed\n      succeeded\n      failed\n      cancelled\n    }\n  }\n"): typeof import('./graphql.js').CancelBatchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Batch($id: ID!, $withCandidates: Boolean! = false) {\n    batch(id: $id) {\n      id\n      status\n      total\n      completed\n      succeeded\n      failed\n      cancelled\n      results {\n        index\n        filename\n        decklist {\n          ...DecklistFields\n        }\n      }\n      errors {\n        index\n        filename\n        code\n        message\n      }\n    }\n  }\n"): typeof import('./graphql.js').BatchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query BatchInfo($id: ID!) {\n    batch(id: $id) {\n      id\n      status\n      total\n      createdAt\n    }\n  }\n"): typeof import('./graphql.js').BatchInfoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Health {\n    health {\n      status\n      cardsLoaded\n      workers\n      queueDepth\n      inFlight\n      batches\n      store {\n        kind\n        durable\n        storedBytes\n        maxStoredBytes\n      }\n      cluster {\n        readers\n        ocrWorkers\n        instances {\n          id\n          role\n          ocrWorkers\n          host\n        }\n      }\n      version\n    }\n  }\n"): typeof import('./graphql.js').HealthDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Cards($search: String, $first: Int) {\n    cards(search: $search, first: $first) {\n      ...CardFields\n    }\n  }\n"): typeof import('./graphql.js').CardsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription BatchEvents($batchId: ID!, $after: Int, $withCandidates: Boolean! = false) {\n    batchEvents(batchId: $batchId, after: $after) {\n      __typename\n      ... on BatchProgress {\n        batchId\n        sequence\n        index\n        filename\n        stage\n        completed\n        total\n      }\n      ... on BatchResult {\n        batchId\n        sequence\n        index\n        filename\n        decklist {\n          ...DecklistFields\n        }\n      }\n      ... on BatchError {\n        batchId\n        sequence\n        index\n        filename\n        code\n        message\n      }\n      ... on BatchComplete {\n        batchId\n        sequence\n        total\n        succeeded\n        failed\n        cancelled\n        durationMs\n      }\n    }\n  }\n"): typeof import('./graphql.js').BatchEventsDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
