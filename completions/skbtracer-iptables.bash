# bash completion for skbtracer-iptables: options, their values, and filter expression words.
# Installed by `make install`; tests/host/completion.sh checks the options against --help.

_skbtracer_iptables() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]} word
	local options='-H --ipaddr --proto -P --port --sport --dport --icmpid -p --pid -N --netns
		-i --iface -c --catch-count -T --time -t --timestamp --no-rules --rules-budget --nft-trace
		--no-track --track-entries --show-id --show-ct --group --no-drops --stack
		-v --verbose --debug -o --output --summary --netns-names --engines --backend --btf -h --help
		-V --version'
	local expression='host net port portrange src dst tcp udp icmp icmp6 ip ip6 arp vlan ether
		proto len less greater and or not'

	COMPREPLY=()
	case $prev in
	--proto)
		COMPREPLY=($(compgen -W 'tcp udp icmp icmp6 any' -- "$cur"))
		return ;;
	--backend)
		COMPREPLY=($(compgen -W 'auto fentry kprobe' -- "$cur"))
		return ;;
	-o | --output)
		COMPREPLY=($(compgen -W 'text json' -- "$cur"))
		return ;;
	--engines) # a comma-separated list: complete its last element
		local done=${cur%"${cur##*,}"}
		COMPREPLY=($(compgen -P "$done" -W 'iptables nftables arptables ebtables' -- "${cur##*,}"))
		compopt -o nospace 2>/dev/null
		return ;;
	--btf)
		COMPREPLY=($(compgen -f -- "$cur"))
		return ;;
	-N | --netns) # an `ip netns` name, or a path such as /proc/PID/ns/net
		if [[ $cur == */* ]]; then
			COMPREPLY=($(compgen -f -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(ls /run/netns 2>/dev/null)" -- "$cur"))
		fi
		return ;;
	-i | --iface)
		COMPREPLY=($(compgen -W "$(ls /sys/class/net 2>/dev/null)" -- "$cur"))
		return ;;
	-H | --ipaddr | -P | --port | --sport | --dport | --icmpid | -p | --pid | -c | --catch-count | \
		--track-entries | --rules-budget)
		return ;; # a number or an address: nothing to offer
	esac
	for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
		[[ $word == -- ]] && options= # after --, only the expression
	done
	if [[ $cur == -* && -n $options ]]; then
		COMPREPLY=($(compgen -W "$options" -- "$cur"))
	else
		COMPREPLY=($(compgen -W "$expression" -- "$cur"))
	fi
}

complete -F _skbtracer_iptables skbtracer-iptables
