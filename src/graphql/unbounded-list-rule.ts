import {
  GraphQLError,
  getNamedType,
  getNullableType,
  isInterfaceType,
  isListType,
  isObjectType,
  isUnionType,
  type ASTVisitor,
  type GraphQLCompositeType,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';

/**
 * Fields that return a whole, unpaged list whose size users control (every client of a group).
 * Selected below another list, they multiply: `contractGroups { clients { group { clients … } } }`
 * grows with the square of the group size at each level, which the depth and cost limits do not
 * see (cost limits only count literal page sizes). So such a field may only be selected where no
 * list field other than the few listed as roots lies above it.
 */
const unboundedLists = new Set(['ContractGroup.clients']);
/** Lists of groups: a handful, created by admins, so one level of clients below them is fine. */
const allowedAbove = new Set(['Query.contractGroups']);

/** One selection set still to look at, and whether some list lies above it. */
interface Pending {
  selectionSet: SelectionSetNode;
  parent: GraphQLCompositeType;
  belowList: boolean;
}

/**
 * The check is linear in the document, whatever its fragments do: the only state a fragment's
 * content depends on is whether a list lies above the spread, so each fragment is walked at most
 * twice (once per state) however often it is spread, and a spread of a fragment already walked in
 * that state (a repeat, or a cycle, which NoFragmentCyclesRule reports) is skipped. The walk uses
 * an explicit stack, so a long chain of fragments cannot overflow the call stack either.
 */
export function UnboundedListNestingRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  const walkedFragments = new Set<string>();

  function walk(start: Pending): void {
    const stack: Pending[] = [start];
    for (let next = stack.pop(); next; next = stack.pop()) {
      const { selectionSet, parent, belowList } = next;
      for (const selection of selectionSet.selections) {
        if (selection.kind === 'Field') {
          if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
          const field = parent.getFields()[selection.name.value];
          if (!field) continue; // unknown fields are another rule's error
          const coordinate = `${parent.name}.${field.name}`;
          if (unboundedLists.has(coordinate) && belowList) {
            context.reportError(
              new GraphQLError(
                `${coordinate} lists every client of a group, so it cannot be selected below another list. ` +
                  'Query it through contractGroup(id: …) { clients { … } } or contractGroups { clients { … } } instead.',
                { nodes: [selection], extensions: { code: 'LIMIT_EXCEEDED', limit: 'unboundedListNesting' } },
              ),
            );
            continue;
          }
          const isList = isListType(getNullableType(field.type)) && !allowedAbove.has(coordinate);
          const type = getNamedType(field.type);
          if (selection.selectionSet && (isObjectType(type) || isInterfaceType(type) || isUnionType(type))) {
            stack.push({ selectionSet: selection.selectionSet, parent: type, belowList: belowList || isList });
          }
        } else if (selection.kind === 'InlineFragment') {
          const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
          stack.push({ selectionSet: selection.selectionSet, parent: (type ?? parent) as GraphQLCompositeType, belowList });
        } else {
          const key = `${selection.name.value}:${belowList}`;
          const fragment = context.getFragment(selection.name.value);
          if (!fragment || walkedFragments.has(key)) continue; // unknown fragments are another rule's error
          walkedFragments.add(key);
          const type = schema.getType(fragment.typeCondition.name.value) ?? parent;
          stack.push({ selectionSet: fragment.selectionSet, parent: type as GraphQLCompositeType, belowList });
        }
      }
    }
  }

  return {
    OperationDefinition(operation) {
      const root = schema.getRootType(operation.operation);
      if (root) walk({ selectionSet: operation.selectionSet, parent: root, belowList: false });
    },
  };
}
