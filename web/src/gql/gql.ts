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
    "\n  fragment WebCardFields on Card {\n    cardNumber\n    code\n    nameCn\n    nameEn\n    type\n    domains\n    cost\n    rarity\n    imageUrl\n  }\n": typeof types.WebCardFieldsFragmentDoc,
    "\n  fragment WebEntryFields on DeckEntry {\n    nameCn\n    nameEn\n    quantity\n    confidence\n    card {\n      ...WebCardFields\n    }\n    candidates {\n      score\n      card {\n        ...WebCardFields\n      }\n    }\n  }\n": typeof types.WebEntryFieldsFragmentDoc,
    "\n  fragment WebDecklistFields on Decklist {\n    metadata {\n      deckName\n      placement\n      event\n      date\n      player\n    }\n    legend {\n      ...WebEntryFields\n    }\n    mainDeck {\n      ...WebEntryFields\n    }\n    battlefields {\n      ...WebEntryFields\n    }\n    runes {\n      ...WebEntryFields\n    }\n    sideDeck {\n      ...WebEntryFields\n    }\n    chosenChampion {\n      ...WebCardFields\n    }\n    validation {\n      valid\n      problems {\n        code\n        section\n        message\n      }\n    }\n    warnings {\n      code\n      message\n    }\n    text\n    deckCode\n  }\n": typeof types.WebDecklistFieldsFragmentDoc,
    "\n  mutation WebProcessBatch($files: [Upload!]!) {\n    processBatch(files: $files) {\n      id\n      total\n      status\n    }\n  }\n": typeof types.WebProcessBatchDocument,
    "\n  query WebBatchInfo($id: ID!) {\n    batch(id: $id) {\n      id\n      status\n      total\n      createdAt\n    }\n  }\n": typeof types.WebBatchInfoDocument,
    "\n  query WebCardSearch($search: String, $first: Int) {\n    cards(search: $search, first: $first) {\n      ...WebCardFields\n    }\n  }\n": typeof types.WebCardSearchDocument,
    "\n  subscription WebBatchEvents($batchId: ID!, $after: Int) {\n    batchEvents(batchId: $batchId, after: $after) {\n      __typename\n      ... on BatchProgress {\n        batchId\n        sequence\n        index\n        filename\n        stage\n        completed\n        total\n      }\n      ... on BatchResult {\n        batchId\n        sequence\n        index\n        filename\n        decklist {\n          ...WebDecklistFields\n        }\n      }\n      ... on BatchError {\n        batchId\n        sequence\n        index\n        filename\n        code\n        message\n      }\n      ... on BatchComplete {\n        batchId\n        sequence\n        total\n        succeeded\n        failed\n        cancelled\n        durationMs\n      }\n    }\n  }\n": typeof types.WebBatchEventsDocument,
    "\n  mutation WebCancelBatch($id: ID!) {\n    cancelBatch(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.WebCancelBatchDocument,
};
const documents: Documents = {
    "\n  fragment WebCardFields on Card {\n    cardNumber\n    code\n    nameCn\n    nameEn\n    type\n    domains\n    cost\n    rarity\n    imageUrl\n  }\n": types.WebCardFieldsFragmentDoc,
    "\n  fragment WebEntryFields on DeckEntry {\n    nameCn\n    nameEn\n    quantity\n    confidence\n    card {\n      ...WebCardFields\n    }\n    candidates {\n      score\n      card {\n        ...WebCardFields\n      }\n    }\n  }\n": types.WebEntryFieldsFragmentDoc,
    "\n  fragment WebDecklistFields on Decklist {\n    metadata {\n      deckName\n      placement\n      event\n      date\n      player\n    }\n    legend {\n      ...WebEntryFields\n    }\n    mainDeck {\n      ...WebEntryFields\n    }\n    battlefields {\n      ...WebEntryFields\n    }\n    runes {\n      ...WebEntryFields\n    }\n    sideDeck {\n      ...WebEntryFields\n    }\n    chosenChampion {\n      ...WebCardFields\n    }\n    validation {\n      valid\n      problems {\n        code\n        section\n        message\n      }\n    }\n    warnings {\n      code\n      message\n    }\n    text\n    deckCode\n  }\n": types.WebDecklistFieldsFragmentDoc,
    "\n  mutation WebProcessBatch($files: [Upload!]!) {\n    processBatch(files: $files) {\n      id\n      total\n      status\n    }\n  }\n": types.WebProcessBatchDocument,
    "\n  query WebBatchInfo($id: ID!) {\n    batch(id: $id) {\n      id\n      status\n      total\n      createdAt\n    }\n  }\n": types.WebBatchInfoDocument,
    "\n  query WebCardSearch($search: String, $first: Int) {\n    cards(search: $search, first: $first) {\n      ...WebCardFields\n    }\n  }\n": types.WebCardSearchDocument,
    "\n  subscription WebBatchEvents($batchId: ID!, $after: Int) {\n    batchEvents(batchId: $batchId, after: $after) {\n      __typename\n      ... on BatchProgress {\n        batchId\n        sequence\n        index\n        filename\n        stage\n        completed\n        total\n      }\n      ... on BatchResult {\n        batchId\n        sequence\n        index\n        filename\n        decklist {\n          ...WebDecklistFields\n        }\n      }\n      ... on BatchError {\n        batchId\n        sequence\n        index\n        filename\n        code\n        message\n      }\n      ... on BatchComplete {\n        batchId\n        sequence\n        total\n        succeeded\n        failed\n        cancelled\n        durationMs\n      }\n    }\n  }\n": types.WebBatchEventsDocument,
    "\n  mutation WebCancelBatch($id: ID!) {\n    cancelBatch(id: $id) {\n      id\n      status\n    }\n  }\n": types.WebCancelBatchDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WebCardFields on Card {\n    cardNumber\n    code\n    nameCn\n    nameEn\n    type\n    domains\n    cost\n    rarity\n    imageUrl\n  }\n"): typeof import('./graphql.js').WebCardFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WebEntryFields on DeckEntry {\n    nameCn\n    nameEn\n    quantity\n    confidence\n    card {\n      ...WebCardFields\n    }\n    candidates {\n      score\n      card {\n        ...WebCardFields\n      }\n    }\n  }\n"): typeof import('./graphql.js').WebEntryFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WebDecklistFields on Decklist {\n    metadata {\n      deckName\n      placement\n      event\n      date\n      player\n    }\n    legend {\n      ...WebEntryFields\n    }\n    mainDeck {\n      ...WebEntryFields\n    }\n    battlefields {\n      ...WebEntryFields\n    }\n    runes {\n      ...WebEntryFields\n    }\n    sideDeck {\n      ...WebEntryFields\n    }\n    chosenChampion {\n      ...WebCardFields\n    }\n    validation {\n      valid\n      problems {\n        code\n        section\n        message\n      }\n    }\n    warnings {\n      code\n      message\n    }\n    text\n    deckCode\n  }\n"): typeof import('./graphql.js').WebDecklistFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebProcessBatch($files: [Upload!]!) {\n    processBatch(files: $files) {\n      id\n      total\n      status\n    }\n  }\n"): typeof import('./graphql.js').WebProcessBatchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebBatchInfo($id: ID!) {\n    batch(id: $id) {\n      id\n      status\n      total\n      createdAt\n    }\n  }\n"): typeof import('./graphql.js').WebBatchInfoDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebCardSearch($search: String, $first: Int) {\n    cards(search: $search, first: $first) {\n      ...WebCardFields\n    }\n  }\n"): typeof import('./graphql.js').WebCardSearchDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription WebBatchEvents($batchId: ID!, $after: Int) {\n    batchEvents(batchId: $batchId, after: $after) {\n      __typename\n      ... on BatchProgress {\n        batchId\n        sequence\n        index\n        filename\n        stage\n        completed\n        total\n      }\n      ... on BatchResult {\n        batchId\n        sequence\n        index\n        filename\n        decklist {\n          ...WebDecklistFields\n        }\n      }\n      ... on BatchError {\n        batchId\n        sequence\n        index\n        filename\n        code\n        message\n      }\n      ... on BatchComplete {\n        batchId\n        sequence\n        total\n        succeeded\n        failed\n        cancelled\n        durationMs\n      }\n    }\n  }\n"): typeof import('./graphql.js').WebBatchEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation WebCancelBatch($id: ID!) {\n    cancelBatch(id: $id) {\n      id\n      status\n    }\n  }\n"): typeof import('./graphql.js').WebCancelBatchDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
