//! A GraphQL executable document as the fake needs it, read from `apollo-parser`'s syntax tree (a maintained,
//! spec-compliant parser; never a hand-written one): operations, fragments, fields with their aliases,
//! arguments and positions, and values.

use apollo_parser::cst::{self, CstNode};

/// A place in the document, one-based, as GraphQL errors give it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Variable(String),
    Int(i64),
    Float(f64),
    String(String),
    Boolean(bool),
    Null,
    Enum(String),
    List(Vec<Val>),
    Object(Vec<(String, Val)>),
}

#[derive(Debug, Clone, Default)]
pub struct SelectionSet {
    pub items: Vec<Selection>,
}

#[derive(Debug, Clone)]
pub enum Selection {
    Field(Field),
    FragmentSpread {
        name: String,
        position: Pos,
    },
    InlineFragment {
        on: Option<String>,
        selection: SelectionSet,
    },
}

#[derive(Debug, Clone)]
pub struct Field {
    pub alias: Option<String>,
    pub name: String,
    pub arguments: Vec<(String, Val)>,
    pub selection_set: SelectionSet,
    pub position: Pos,
}

impl Field {
    /// The key of this field in the answer: its alias, else its name.
    pub fn key(&self) -> &str {
        self.alias.as_deref().unwrap_or(&self.name)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Query,
    Mutation,
    Subscription,
}

#[derive(Debug, Clone)]
pub struct VariableDefinition {
    pub name: String,
    /// The type as written (`[ID!]!`), for messages.
    pub type_text: String,
    pub required: bool,
    pub default: Option<Val>,
    pub position: Pos,
}

#[derive(Debug, Clone)]
pub struct Operation {
    pub kind: Kind,
    pub name: Option<String>,
    pub variables: Vec<VariableDefinition>,
    pub selection: SelectionSet,
    pub position: Pos,
}

#[derive(Debug, Clone)]
pub struct Fragment {
    pub name: String,
    pub on: String,
    pub selection: SelectionSet,
}

#[derive(Debug, Clone, Default)]
pub struct Document {
    pub operations: Vec<Operation>,
    pub fragments: Vec<Fragment>,
}

/// A syntax error: GitHub's message form, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub message: String,
    pub position: Pos,
}

/// Reads `source`; the first syntax error if it is not a well-formed executable document.
pub fn parse(source: &str) -> Result<Document, SyntaxError> {
    let tree = apollo_parser::Parser::new(source).parse();
    let at = |offset: usize| position(source, offset);
    if let Some(error) = tree.errors().next() {
        return Err(SyntaxError {
            message: format!("Parse error on \"{}\": {}", error.data(), error.message()),
            position: at(error.index()),
        });
    }
    let reader = Reader { source };
    let mut document = Document::default();
    for definition in tree.document().definitions() {
        match definition {
            cst::Definition::OperationDefinition(op) => document.operations.push(reader.operation(&op)),
            cst::Definition::FragmentDefinition(f) => document.fragments.push(Fragment {
                name: f
                    .fragment_name()
                    .and_then(|n| n.name())
                    .map(|n| n.text().to_string())
                    .unwrap_or_default(),
                on: f
                    .type_condition()
                    .and_then(|t| t.named_type())
                    .and_then(|t| t.name())
                    .map(|n| n.text().to_string())
                    .unwrap_or_default(),
                selection: reader.selection_set(f.selection_set()),
            }),
            other => {
                return Err(SyntaxError {
                    message: "Only operations and fragments may be sent: a schema definition is not executable".into(),
                    position: at(offset(other.syntax())),
                })
            }
        }
    }
    Ok(document)
}

fn offset(node: &apollo_parser::SyntaxNode) -> usize {
    usize::from(node.text_range().start())
}

fn position(source: &str, offset: usize) -> Pos {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
    Pos { line, column }
}

struct Reader<'s> {
    source: &'s str,
}

impl Reader<'_> {
    fn at(&self, node: &apollo_parser::SyntaxNode) -> Pos {
        position(self.source, offset(node))
    }

    fn operation(&self, op: &cst::OperationDefinition) -> Operation {
        let kind = match op.operation_type() {
            Some(t) if t.mutation_token().is_some() => Kind::Mutation,
            Some(t) if t.subscription_token().is_some() => Kind::Subscription,
            _ => Kind::Query,
        };
        let variables = op
            .variable_definitions()
            .map(|defs| {
                defs.variable_definitions()
                    .map(|d| {
                        let ty = d.ty();
                        VariableDefinition {
                            name: d
                                .variable()
                                .map(|v| v.text().to_string())
                                .unwrap_or_default(),
                            type_text: ty.as_ref().map(|t| t.source_string()).unwrap_or_default(),
                            required: matches!(ty, Some(cst::Type::NonNullType(_))),
                            default: d
                                .default_value()
                                .and_then(|v| v.value())
                                .map(|v| self.value(&v)),
                            position: self.at(d.syntax()),
                        }
                    })
                    .collect()
            })
            .unwrap_or_default();
        Operation {
            kind,
            name: op.name().map(|n| n.text().to_string()),
            variables,
            selection: self.selection_set(op.selection_set()),
            position: self.at(op.syntax()),
        }
    }

    fn selection_set(&self, set: Option<cst::SelectionSet>) -> SelectionSet {
        let Some(set) = set else {
            return SelectionSet::default();
        };
        let items = set
            .selections()
            .map(|s| match s {
                cst::Selection::Field(f) => Selection::Field(Field {
                    alias: f
                        .alias()
                        .and_then(|a| a.name())
                        .map(|n| n.text().to_string()),
                    name: f.name().map(|n| n.text().to_string()).unwrap_or_default(),
                    arguments: f
                        .arguments()
                        .map(|args| {
                            args.arguments()
                                .map(|a| {
                                    (
                                        a.name().map(|n| n.text().to_string()).unwrap_or_default(),
                                        a.value().map_or(Val::Null, |v| self.value(&v)),
                                    )
                                })
                                .collect()
                        })
                        .unwrap_or_default(),
                    selection_set: self.selection_set(f.selection_set()),
                    position: self.at(f.syntax()),
                }),
                cst::Selection::FragmentSpread(s) => Selection::FragmentSpread {
                    name: s
                        .fragment_name()
                        .and_then(|n| n.name())
                        .map(|n| n.text().to_string())
                        .unwrap_or_default(),
                    position: self.at(s.syntax()),
                },
                cst::Selection::InlineFragment(i) => Selection::InlineFragment {
                    on: i
                        .type_condition()
                        .and_then(|t| t.named_type())
                        .and_then(|t| t.name())
                        .map(|n| n.text().to_string()),
                    selection: self.selection_set(i.selection_set()),
                },
            })
            .collect();
        SelectionSet { items }
    }

    fn value(&self, value: &cst::Value) -> Val {
        match value {
            cst::Value::Variable(v) => Val::Variable(v.text().to_string()),
            cst::Value::StringValue(s) => Val::String(String::from(s)),
            cst::Value::FloatValue(f) => f64::try_from(f).map_or(Val::Null, Val::Float),
            cst::Value::IntValue(i) => i.source_string().trim().parse().map_or(Val::Null, Val::Int),
            cst::Value::BooleanValue(b) => bool::try_from(b).map_or(Val::Null, Val::Boolean),
            cst::Value::NullValue(_) => Val::Null,
            cst::Value::EnumValue(e) => Val::Enum(e.text().to_string()),
            cst::Value::ListValue(l) => Val::List(l.values().map(|v| self.value(&v)).collect()),
            cst::Value::ObjectValue(o) => Val::Object(
                o.object_fields()
                    .map(|f| {
                        (
                            f.name().map(|n| n.text().to_string()).unwrap_or_default(),
                            f.value().map_or(Val::Null, |v| self.value(&v)),
                        )
                    })
                    .collect(),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_operations_fragments_values_and_positions() {
        let doc = parse("query Q($ids: [ID!]!, $n: Int = 3) {\n  a: nodes(ids: $ids) { ...F ... on Deployment { id } }\n  rateLimit(dryRun: true) { cost }\n}\nfragment F on Node { id }\n").unwrap();
        let op = &doc.operations[0];
        assert_eq!((op.kind, op.name.as_deref()), (Kind::Query, Some("Q")));
        assert_eq!(op.variables[0].type_text, "[ID!]!");
        assert!(op.variables[0].required && !op.variables[1].required);
        assert_eq!(op.variables[1].default, Some(Val::Int(3)));
        let Selection::Field(nodes) = &op.selection.items[0] else {
            panic!()
        };
        assert_eq!((nodes.key(), nodes.name.as_str()), ("a", "nodes"));
        assert_eq!(
            nodes.arguments[0],
            ("ids".to_owned(), Val::Variable("ids".into()))
        );
        assert_eq!(nodes.position, Pos { line: 2, column: 3 });
        assert!(
            matches!(&nodes.selection_set.items[1], Selection::InlineFragment { on: Some(t), .. } if t == "Deployment")
        );
        assert_eq!(doc.fragments[0].on, "Node");
        let err = parse("{ repository(owner: ) }").unwrap_err();
        assert_eq!(err.position.line, 1);
    }
}
