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

export function UnboundedListNestingRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();

  function walk(selectionSet: SelectionSetNode, parent: GraphQLCompositeType, listsAbove: number, seen: Set<string>): void {
    for (const selection of selectionSet.selections) {
      if (selection.kind === 'Field') {
        if (!isObjectType(parent) && !isInterfaceType(parent)) continue;
        const field = parent.getFields()[selection.name.value];
        if (!field) continue; // unknown fields are another rule's error
        const coordinate = `${parent.name}.${field.name}`;
        if (unboundedLists.has(coordinate) && listsAbove > 0) {
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
          walk(selection.selectionSet, type, listsAbove + (isList ? 1 : 0), seen);
        }
      } else if (selection.kind === 'InlineFragment') {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        walk(selection.selectionSet, (type ?? parent) as GraphQLCompositeType, listsAbove, seen);
      } else {
        const fragment = context.getFragment(selection.name.value);
        const key = `${selection.name.value}@${listsAbove}`;
        if (!fragment || seen.has(key)) continue; // unknown or cyclic fragments are other rules' errors
        const type = schema.getType(fragment.typeCondition.name.value) ?? parent;
        walk(fragment.selectionSet, type as GraphQLCompositeType, listsAbove, new Set([...seen, key]));
      }
    }
  }

  return {
    OperationDefinition(operation) {
      const root = schema.getRootType(operation.operation);
      if (root) walk(operation.selectionSet, root, 0, new Set());
    },
  };
}
