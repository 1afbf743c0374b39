{#-
    Connected components of an undirected graph, as a query returning (node, component_id): component_id is the
    smallest node id of the node's component. `nodes` names a relation with a `node` column (isolated nodes
    included), `edges` one with `node` and `neighbour` holding every link in both directions.

    DuckDB: min-label propagation in a recursive CTE keyed on the node (`USING KEY`). Every node starts with its
    own id; each round, only the nodes whose label fell in the previous round pass it to their neighbours, and a
    neighbour keeps the smaller label. It stops when no label changes - after at most (longest shortest path within
    a component + 1) rounds, each one pass over the edges of the changed nodes, so a 10^5-edge graph takes a few
    rounds of hash joins, not a loop over rows.
    Other engines: the transitive closure with a plain recursive UNION (ANSI SQL), then the smallest node reached -
    the same answer, but its size is the sum of the squared component sizes, fine only while components are small.
-#}
{% macro connected_component_labels(nodes, edges) -%}
    {{ return(adapter.dispatch('connected_component_labels', 'risk_lakehouse')(nodes, edges)) }}
{%- endmacro %}

{% macro duckdb__connected_component_labels(nodes, edges) -%}
    -- materialized once: a CTE read inside the recursion would otherwise be recomputed every round
    with recursive edge_list as materialized (

        select
            {{ edges }}.node,
            {{ edges }}.neighbour
        from {{ edges }}

    ),

    propagated (node, component_id) using key (node) as (

        select
            {{ nodes }}.node,
            {{ nodes }}.node as component_id
        from {{ nodes }}

        union

        select
            edge_list.neighbour as node,
            min(propagated.component_id) as component_id
        from propagated
        inner join edge_list
            on propagated.node = edge_list.node
        inner join recurring.propagated as current_label
            on edge_list.neighbour = current_label.node
        group by edge_list.neighbour, current_label.component_id
        having min(propagated.component_id) < current_label.component_id

    )

    select
        propagated.node,
        propagated.component_id
    from propagated
{%- endmacro %}

{% macro default__connected_component_labels(nodes, edges) -%}
    with recursive reached (node, reached_node) as (

        select
            {{ nodes }}.node,
            {{ nodes }}.node as reached_node
        from {{ nodes }}

        union

        select
            reached.node,
            {{ edges }}.neighbour as reached_node
        from reached
        inner join {{ edges }}
            on reached.reached_node = {{ edges }}.node

    )

    select
        reached.node,
        min(reached.reached_node) as component_id
    from reached
    group by reached.node
{%- endmacro %}
